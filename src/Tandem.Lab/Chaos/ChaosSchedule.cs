namespace Tandem.Lab.Chaos;

/// <summary>
/// The seeded sequence of faults of a chaos run (pure: the same seed gives the same run). Faults come in
/// rounds; every round holds each kind once in a shuffled order, so any run of at least one round per
/// kind sees every kind, and a longer run sees them evenly. Pauses between faults are drawn from the
/// same generator.
/// </summary>
public static class ChaosSchedule
{
    public static readonly TimeSpan MinimumPause = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaximumPause = TimeSpan.FromSeconds(15);

    /// <summary>An endless sequence of steps drawn from <paramref name="kinds"/> (take as many as the run needs).</summary>
    public static IEnumerable<ChaosStep> Steps(int seed, IReadOnlyList<ChaosFaultKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            throw new ArgumentException("a chaos run needs at least one kind of fault", nameof(kinds));
        }
        var random = new Random(seed);
        var number = 0;
        while (true)
        {
            var round = kinds.Distinct().ToArray();
            random.Shuffle(round);
            foreach (var kind in round)
            {
                var pauseMs = random.Next((int)MinimumPause.TotalMilliseconds, (int)MaximumPause.TotalMilliseconds + 1);
                yield return new ChaosStep(++number, kind, TimeSpan.FromMilliseconds(pauseMs));
            }
        }
    }
}
