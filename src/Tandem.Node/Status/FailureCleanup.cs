using Tandem.Model;

namespace Tandem.Node.Status;

/// <summary>
/// <c>tandem resource cleanup [RSC] [--node N]</c> as Pacemaker 2.1.5's <c>crm_resource --cleanup</c> does it:
/// on every node (or the one named), the fail counts and last-failure times of the resource (or of
/// every resource) are removed, and the whole operation history of each one that has a recorded failure
/// there is forgotten, so the coordinator probes it again. A resource that has no failure is left alone.
/// A group or clone names all its primitives; clone instances (<c>db:1</c>) count as their primitive.
/// Pure: the result is the status updates to multicast, one per node that changes.
/// </summary>
public static class FailureCleanup
{
    private const string FailCountPrefix = "fail-count-";
    private const string LastFailurePrefix = "last-failure-";

    /// <summary>What to clean, or a one-line error naming an unknown resource or node (then nothing is to change).</summary>
    public static CleanupPlan Plan(ClusterConfiguration configuration, IReadOnlyDictionary<string, NodeStatus> status, IEnumerable<string> knownNodes, string? resource, string? node)
    {
        var nodes = knownNodes.Concat(status.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (node is not null && !nodes.Contains(node, StringComparer.Ordinal))
        {
            return CleanupPlan.Refused($"no node '{node}' in the cluster (known: {string.Join(", ", nodes)})");
        }
        Func<string, bool> selected = _ => true;
        if (resource is not null)
        {
            var primitives = configuration.FindResource(resource) is { } configured
                ? configured.SelfAndDescendants.Select(r => r.Id).ToHashSet(StringComparer.Ordinal)
                : [resource];
            selected = id => primitives.Contains(StripInstance(id));
            var known = configuration.FindResource(resource) is not null
                || status.Values.Any(s => s.Resources.Keys.Any(selected) || s.Attributes.Keys.Any(a => FailureOf(a) is { } r && selected(r)));
            if (!known)
            {
                return CleanupPlan.Refused($"no resource '{resource}' in the configuration or the status");
            }
        }
        var updates = new List<StatusUpdate>();
        var cleaned = new List<CleanedResource>();
        foreach (var name in node is null ? nodes : [node])
        {
            if (!status.TryGetValue(name, out var nodeStatus))
            {
                continue;
            }
            var attributes = nodeStatus.Attributes.Keys
                .Where(a => FailureOf(a) is { } r && selected(r))
                .Order(StringComparer.Ordinal)
                .ToList();
            var forget = nodeStatus.Resources.Values
                .Where(r => selected(r.Id) && r.History.ContainsKey($"{r.Id}_last_failure_0"))
                .Select(r => r.Id)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (attributes.Count == 0 && forget.Count == 0)
            {
                continue;
            }
            updates.Add(new StatusUpdate(name, [], [.. attributes.Select(a => new AttributeChange(a, null))]) { Forget = forget });
            cleaned.AddRange(forget.Concat(attributes.Select(a => FailureOf(a)!))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(r => new CleanedResource(r, name)));
        }
        return new CleanupPlan(updates, cleaned, null);
    }

    /// <summary>The resource a fail-count or last-failure attribute belongs to (<c>fail-count-vip#monitor_10000</c>: vip).</summary>
    public static string? FailureOf(string attribute)
    {
        var rest = attribute.StartsWith(FailCountPrefix, StringComparison.Ordinal) ? attribute[FailCountPrefix.Length..]
            : attribute.StartsWith(LastFailurePrefix, StringComparison.Ordinal) ? attribute[LastFailurePrefix.Length..]
            : null;
        var hash = rest?.LastIndexOf('#') ?? -1;
        return hash > 0 ? rest![..hash] : null;
    }

    /// <summary>An anonymous clone instance's history is kept under its primitive's id or with an instance number.</summary>
    private static string StripInstance(string id)
    {
        var colon = id.LastIndexOf(':');
        return colon > 0 && id[(colon + 1)..].All(char.IsAsciiDigit) && colon < id.Length - 1 ? id[..colon] : id;
    }
}
