using System.Globalization;
using Tandem.Model.Durations;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Validation;

/// <summary>What a known option accepts, and a check of a written value against it.</summary>
internal sealed record ValueKind(string Expected, Func<string, bool> Accepts)
{
    public static readonly ValueKind Boolean = new("true or false", v => Booleans.TryParse(v, out _));
    public static readonly ValueKind ScoreValue = new("a score (an integer, INFINITY or -INFINITY)", v => Score.TryParse(v, out _, out _));
    public static readonly ValueKind DurationValue = new("a duration such as 30s, 2min or 1h", v => Duration.TryParse(v, out _, out _));
    public static readonly ValueKind Count = new("a whole number, 0 or more",
        v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _));
    public static readonly ValueKind Integer = new("an integer",
        v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
    /// <summary>Pacemaker's stonith-watchdog-timeout: a time (0 disables it), or a negative number for "derive it from SBD's own timeout".</summary>
    public static readonly ValueKind WatchdogTimeout = new("a duration such as 10s (0 disables it) or a negative number",
        v => Duration.TryParse(v, out _, out _) || (int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n < 0));
    public static readonly ValueKind RoleValue = new("Stopped, Started, Unpromoted or Promoted", v => RoleNames.TryParse(v, out _));
    public static readonly ValueKind Text = new("text", _ => true);

    public static ValueKind OneOf(params string[] values) =>
        new(string.Join(", ", values[..^1]) + " or " + values[^1], v => values.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase));
}

/// <summary>Pacemaker 2.1's meta attributes and cluster options, by name, with what each accepts.</summary>
internal static class KnownOptions
{
    public static readonly IReadOnlyDictionary<string, ValueKind> Meta = new Dictionary<string, ValueKind>(StringComparer.Ordinal)
    {
        ["target-role"] = ValueKind.RoleValue,
        ["is-managed"] = ValueKind.Boolean,
        ["maintenance"] = ValueKind.Boolean,
        ["resource-stickiness"] = ValueKind.ScoreValue,
        ["migration-threshold"] = ValueKind.ScoreValue,
        ["failure-timeout"] = ValueKind.DurationValue,
        ["priority"] = ValueKind.ScoreValue,
        ["multiple-active"] = ValueKind.OneOf("block", "stop_only", "stop_start", "stop_unexpected"),
        ["allow-migrate"] = ValueKind.Boolean,
        ["allow-unhealthy-nodes"] = ValueKind.Boolean,
        ["requires"] = ValueKind.OneOf("nothing", "quorum", "fencing", "unfencing"),
        ["critical"] = ValueKind.Boolean,
        ["restart-type"] = ValueKind.OneOf("ignore", "restart"),
        ["remote-node"] = ValueKind.Text,
        ["remote-port"] = ValueKind.Count,
        ["remote-addr"] = ValueKind.Text,
        ["remote-connect-timeout"] = ValueKind.DurationValue,
        ["remote-allow-migrate"] = ValueKind.Boolean,
        ["container"] = ValueKind.Text,
        ["container-attribute-target"] = ValueKind.OneOf("host"),
        ["description"] = ValueKind.Text,
        ["promotable"] = ValueKind.Boolean,
        ["promoted-max"] = ValueKind.Count,
        ["promoted-node-max"] = ValueKind.Count,
        ["master-max"] = ValueKind.Count,
        ["master-node-max"] = ValueKind.Count,
        ["clone-max"] = ValueKind.Count,
        ["clone-min"] = ValueKind.Count,
        ["clone-node-max"] = ValueKind.Count,
        ["notify"] = ValueKind.Boolean,
        ["interleave"] = ValueKind.Boolean,
        ["globally-unique"] = ValueKind.Boolean,
        ["ordered"] = ValueKind.Boolean,
        ["collocated"] = ValueKind.Boolean,
        ["record-pending"] = ValueKind.Boolean,
        ["timeout"] = ValueKind.DurationValue,
        ["interval"] = ValueKind.DurationValue,
        ["start-delay"] = ValueKind.DurationValue,
        ["on-fail"] = ValueKind.OneOf("ignore", "block", "demote", "stop", "restart", "standby", "fence", "restart-container"),
        ["enabled"] = ValueKind.Boolean,
        ["role"] = ValueKind.RoleValue,
    };

    public static readonly IReadOnlyDictionary<string, ValueKind> Properties = new Dictionary<string, ValueKind>(StringComparer.Ordinal)
    {
        ["no-quorum-policy"] = ValueKind.OneOf("stop", "freeze", "ignore", "demote", "suicide"),
        ["symmetric-cluster"] = ValueKind.Boolean,
        ["maintenance-mode"] = ValueKind.Boolean,
        ["start-failure-is-fatal"] = ValueKind.Boolean,
        ["enable-startup-probes"] = ValueKind.Boolean,
        ["shutdown-lock"] = ValueKind.Boolean,
        ["shutdown-lock-limit"] = ValueKind.DurationValue,
        ["stonith-enabled"] = ValueKind.Boolean,
        ["stonith-action"] = ValueKind.OneOf("reboot", "off", "poweroff"),
        ["stonith-timeout"] = ValueKind.DurationValue,
        ["stonith-max-attempts"] = ValueKind.Count,
        ["stonith-watchdog-timeout"] = ValueKind.WatchdogTimeout,
        ["have-watchdog"] = ValueKind.Boolean,
        ["concurrent-fencing"] = ValueKind.Boolean,
        ["startup-fencing"] = ValueKind.Boolean,
        ["priority-fencing-delay"] = ValueKind.DurationValue,
        ["fence-reaction"] = ValueKind.OneOf("stop", "panic"),
        ["cluster-delay"] = ValueKind.DurationValue,
        ["batch-limit"] = ValueKind.Integer,
        ["migration-limit"] = ValueKind.Integer,
        ["node-action-limit"] = ValueKind.Integer,
        ["load-threshold"] = ValueKind.Text,
        ["stop-all-resources"] = ValueKind.Boolean,
        ["stop-orphan-resources"] = ValueKind.Boolean,
        ["stop-orphan-actions"] = ValueKind.Boolean,
        ["remove-after-stop"] = ValueKind.Boolean,
        ["pe-error-series-max"] = ValueKind.Integer,
        ["pe-warn-series-max"] = ValueKind.Integer,
        ["pe-input-series-max"] = ValueKind.Integer,
        ["node-health-strategy"] = ValueKind.OneOf("none", "migrate-on-red", "only-green", "progressive", "custom"),
        ["node-health-base"] = ValueKind.ScoreValue,
        ["node-health-green"] = ValueKind.ScoreValue,
        ["node-health-yellow"] = ValueKind.ScoreValue,
        ["node-health-red"] = ValueKind.ScoreValue,
        ["placement-strategy"] = ValueKind.OneOf("default", "utilization", "minimal", "balanced"),
        ["cluster-recheck-interval"] = ValueKind.DurationValue,
        ["dc-deadtime"] = ValueKind.DurationValue,
        ["election-timeout"] = ValueKind.DurationValue,
        ["shutdown-escalation"] = ValueKind.DurationValue,
        ["join-integration-timeout"] = ValueKind.DurationValue,
        ["join-finalization-timeout"] = ValueKind.DurationValue,
        ["transition-delay"] = ValueKind.DurationValue,
        ["cluster-ipc-limit"] = ValueKind.Count,
        ["enable-acl"] = ValueKind.Boolean,
        ["dc-version"] = ValueKind.Text,
        ["cluster-infrastructure"] = ValueKind.Text,
        ["cluster-name"] = ValueKind.Text,
        ["last-lrm-refresh"] = ValueKind.Text,
    };

    /// <summary>Resource options that old guides set as cluster properties; Pacemaker 2 reads them only in rsc_defaults.</summary>
    public static readonly IReadOnlyDictionary<string, string> ResourceOptionsAsProperties = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["resource-stickiness"] = "resource-stickiness",
        ["default-resource-stickiness"] = "resource-stickiness",
        ["migration-threshold"] = "migration-threshold",
        ["default-migration-threshold"] = "migration-threshold",
        ["is-managed-default"] = "is-managed",
        ["failure-timeout"] = "failure-timeout",
    };

    /// <summary>The known name closest to <paramref name="name"/> when it is probably a typo of it (edit distance 1 or 2).</summary>
    public static string? Suggest(string name, IEnumerable<string> known) =>
        known.Select(k => (Known: k, Distance: EditDistance(name.Replace('_', '-'), k)))
            .Where(x => x.Distance <= Math.Min(2, x.Known.Length / 4))
            .OrderBy(x => x.Distance)
            .Select(x => x.Known)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
