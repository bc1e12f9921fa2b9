namespace Tandem.Lab.Chaos;

/// <summary>The faults of one kind in a run: how many, and their outage and recovery times (min, median, max).</summary>
public sealed record ChaosKindSummary(
    ChaosFaultKind Kind,
    int Count,
    double MinOutageSeconds,
    double MedianOutageSeconds,
    double MaxOutageSeconds,
    double MinRecoveredSeconds,
    double MedianRecoveredSeconds,
    double MaxRecoveredSeconds)
{
    public static ChaosKindSummary Of(ChaosFaultKind kind, IReadOnlyList<ChaosFaultResult> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var outages = faults.Select(f => f.OutageSeconds).Order().ToList();
        var recoveries = faults.Select(f => f.RecoveredSeconds ?? double.NaN).Order().ToList();
        return new ChaosKindSummary(kind, faults.Count, outages[0], Median(outages), outages[^1], recoveries[0], Median(recoveries), recoveries[^1]);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
