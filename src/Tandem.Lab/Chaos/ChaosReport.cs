using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Mail;

namespace Tandem.Lab.Chaos;

/// <summary>
/// The verdict of a chaos run: every fault recovered, not one accepted message lost or duplicated, and
/// the two replicas of the volume identical once connected and in sync.
/// </summary>
public sealed record ChaosReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public required int Seed { get; init; }
    public required bool Weakened { get; init; }
    public required string Command { get; init; }
    public required IReadOnlyList<ChaosFaultResult> Faults { get; init; }
    public required MailReport? Mail { get; init; }

    /// <summary>SHA-256 of each replica's data, by node; null when they could not be compared (named in <see cref="Problem"/>).</summary>
    public required IReadOnlyDictionary<string, string>? ReplicaChecksums { get; init; }

    /// <summary>Why the run could not finish its checks, if it could not.</summary>
    public string? Problem { get; init; }

    public required double DurationSeconds { get; init; }

    public bool ReplicasIdentical => ReplicaChecksums is { Count: 2 } sums && sums.Values.Distinct(StringComparer.Ordinal).Count() == 1;

    public bool Passed => Problem is null && Faults.All(f => f.Recovered) && Mail is { Passed: true, Lost.Count: 0 } && ReplicasIdentical;

    /// <summary>Outage per fault kind as the client saw it: count, min, median, max (seconds).</summary>
    public IReadOnlyList<ChaosKindSummary> ByKind =>
        [.. Faults.GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => ChaosKindSummary.Of(g.Key, [.. g]))];

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"chaos run: {(Passed ? "PASSED" : "FAILED")} (seed {Seed}{(Weakened ? ", weakened configuration" : "")}, {DurationSeconds:0} s)");
        text.AppendLine(c, $"  reproduce: {Command}");
        if (Problem is not null)
        {
            text.AppendLine(c, $"  problem: {Problem}");
        }
        text.AppendLine(c, $"  {"#",3} {"fault",-15} {"node",-8} {"at s",7} {"outage s",9} {"recovered s",12} {"healthy s",10}");
        foreach (var f in Faults)
        {
            text.AppendLine(c, $"  {f.Number,3} {f.Kind,-15} {f.Node,-8} {f.InjectedAtSeconds,7:0.0} {f.OutageSeconds,9:0.00} {Show(f.RecoveredSeconds),12} {Show(f.HealthySeconds),10}{(f.Problem is null ? "" : "  " + f.Problem)}{(f.Note is null ? "" : "  (" + f.Note + ")")}");
        }
        text.AppendLine(c, $"  outage per kind (client's view, seconds): count min / median / max");
        foreach (var k in ByKind)
        {
            text.AppendLine(c, $"    {k.Kind,-15} {k.Count,3}  {k.MinOutageSeconds:0.00} / {k.MedianOutageSeconds:0.00} / {k.MaxOutageSeconds:0.00}   recovery {k.MinRecoveredSeconds:0.00} / {k.MedianRecoveredSeconds:0.00} / {k.MaxRecoveredSeconds:0.00}");
        }
        if (Mail is not null)
        {
            text.AppendLine(c, $"  mail: attempted {Mail.Attempted}, accepted {Mail.Accepted}, delivered {Mail.Delivered}, lost {Mail.Lost.Count}, duplicated {Mail.Duplicated.Count}, unexpected {Mail.Unexpected.Count}, refused {Mail.Refused}, failed {Mail.Failed}, uncertain {Mail.Uncertain}");
            if (Mail.Lost.Count > 0)
            {
                text.AppendLine(c, $"  lost: {string.Join(' ', Mail.Lost.Take(20))}{(Mail.Lost.Count > 20 ? " ..." : "")}");
            }
        }
        if (ReplicaChecksums is null)
        {
            text.AppendLine("  replicas: not compared");
        }
        else
        {
            text.AppendLine(c, $"  replicas: {(ReplicasIdentical ? "identical" : "DIFFERENT")} ({string.Join(", ", ReplicaChecksums.Select(p => $"{p.Key} {p.Value[..Math.Min(16, p.Value.Length)]}"))})");
        }
        return text.ToString();

        static string Show(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "-";
    }
}
