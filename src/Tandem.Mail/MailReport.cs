using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Mail;

/// <summary>
/// The verdict of a mail run: every message the server accepted must be in a mailbox exactly once.
/// Built from what the client recorded while sending and what it read back afterwards; pure.
/// </summary>
public sealed record MailReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required int Attempted { get; init; }
    public required int Accepted { get; init; }
    public required int Refused { get; init; }
    public required int Failed { get; init; }
    public required int Uncertain { get; init; }

    /// <summary>Accepted messages found in their mailbox.</summary>
    public required int Delivered { get; init; }

    /// <summary>Ids accepted but found in no mailbox: the loss the cluster must never cause.</summary>
    public required IReadOnlyList<string> Lost { get; init; }

    /// <summary>Ids found more than once.</summary>
    public required IReadOnlyList<string> Duplicated { get; init; }

    /// <summary>Ids found although the server refused them or never got them (a server that lies), or that this run never sent.</summary>
    public required IReadOnlyList<string> Unexpected { get; init; }

    /// <summary>Uncertain messages that turned out delivered (not a fault either way).</summary>
    public required int UncertainDelivered { get; init; }

    public required IReadOnlyList<OutageWindow> Outages { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>When the run's clock started (its outage windows count from here), so other programs can line them up with their own events.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>No accepted message lost, none duplicated, nothing delivered that should not be.</summary>
    public bool Passed => Lost.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0;

    /// <param name="attempts">Every attempt in the order sent.</param>
    /// <param name="found">Every test id read from the mailboxes, once per copy found.</param>
    /// <param name="durationSeconds">How long the run took.</param>
    /// <param name="startedAt">When the run's clock started.</param>
    public static MailReport Build(IReadOnlyList<SendAttempt> attempts, IEnumerable<string> found, double durationSeconds, DateTimeOffset startedAt = default)
    {
        var copies = found.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var byId = attempts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var accepted = attempts.Where(a => a.Outcome == SendOutcome.Accepted).ToList();
        return new MailReport
        {
            Attempted = attempts.Count,
            Accepted = accepted.Count,
            Refused = attempts.Count(a => a.Outcome == SendOutcome.Refused),
            Failed = attempts.Count(a => a.Outcome == SendOutcome.Failed),
            Uncertain = attempts.Count(a => a.Outcome == SendOutcome.Uncertain),
            Delivered = accepted.Count(a => copies.ContainsKey(a.Id)),
            Lost = [.. accepted.Where(a => !copies.ContainsKey(a.Id)).Select(a => a.Id)],
            Duplicated = [.. copies.Where(c => c.Value > 1).Select(c => c.Key).Order(StringComparer.Ordinal)],
            Unexpected = [.. copies.Keys.Where(id => !byId.TryGetValue(id, out var a) || a.Outcome is SendOutcome.Refused or SendOutcome.Failed).Order(StringComparer.Ordinal)],
            UncertainDelivered = attempts.Count(a => a.Outcome == SendOutcome.Uncertain && copies.ContainsKey(a.Id)),
            Outages = FindOutages(attempts),
            DurationSeconds = durationSeconds,
            StartedAt = startedAt,
        };
    }

    public static IReadOnlyList<OutageWindow> FindOutages(IReadOnlyList<SendAttempt> attempts)
    {
        var outages = new List<OutageWindow>();
        SendAttempt? first = null;
        var failed = 0;
        foreach (var attempt in attempts)
        {
            if (attempt.Outcome == SendOutcome.Accepted)
            {
                if (first is not null)
                {
                    outages.Add(new OutageWindow(first.StartedSeconds, attempt.FinishedSeconds, failed, first.Detail ?? first.Outcome.ToString()));
                    first = null;
                    failed = 0;
                }
                continue;
            }
            first ??= attempt;
            failed++;
        }
        if (first is not null)
        {
            outages.Add(new OutageWindow(first.StartedSeconds, null, failed, first.Detail ?? first.Outcome.ToString()));
        }
        return outages;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report <see cref="ToJson"/> wrote (another process's, such as a load run in the lab's client namespace).</summary>
    public static MailReport FromJson(string json) =>
        JsonSerializer.Deserialize<MailReport>(json, JsonOptions) ?? throw new JsonException("empty mail report");

    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"mail check: {(Passed ? "PASSED" : "FAILED")} ({DurationSeconds:0.0} s)");
        text.AppendLine(c, $"  attempted {Attempted}, accepted {Accepted}, refused {Refused}, failed {Failed}, uncertain {Uncertain} ({UncertainDelivered} of them delivered)");
        text.AppendLine(c, $"  delivered {Delivered} of {Accepted} accepted, lost {Lost.Count}, duplicated {Duplicated.Count}, unexpected {Unexpected.Count}");
        AppendIds(text, "lost", Lost);
        AppendIds(text, "duplicated", Duplicated);
        AppendIds(text, "unexpected", Unexpected);
        text.AppendLine(c, $"  outages as the client saw them: {Outages.Count}");
        foreach (var outage in Outages)
        {
            var end = outage.EndSeconds is { } e ? e.ToString("0.00", c) : "(not over)";
            var duration = outage.DurationSeconds is { } d ? d.ToString("0.00", c) + " s" : "open";
            text.AppendLine(c, $"    {outage.StartSeconds:0.00} .. {end}: {duration}, {outage.FailedAttempts} attempts not accepted, first: {outage.FirstError}");
        }
        return text.ToString();
    }

    private static void AppendIds(StringBuilder text, string what, IReadOnlyList<string> ids)
    {
        if (ids.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {what}: {string.Join(' ', ids.Take(20))}{(ids.Count > 20 ? " ..." : "")}");
        }
    }
}
