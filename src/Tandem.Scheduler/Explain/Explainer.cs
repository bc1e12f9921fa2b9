using System.Globalization;
using Tandem.Model.Resources;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Explain;

/// <summary>
/// Says in plain words why a resource is where it is: its state now and what the plan does with it,
/// then for every node the final score and the terms behind it (node state, location constraints,
/// stickiness, fail counts against migration-threshold, colocations).
/// </summary>
public static class Explainer
{
    /// <summary>The explanation, one line each; null when the snapshot has no such resource.</summary>
    public static IReadOnlyList<string>? Explain(ClusterSnapshot snapshot, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(resourceId);
        return Scheduler.RunWithDeepStack(() =>
        {
            var plan = Scheduler.ScheduleInline(snapshot, new ScheduleOptions { RecordScores = true });
            var ws = plan.WorkingSet;
            var rsc = ws.ResourceNames.First(resourceId);
            if (rsc is null)
            {
                return null;
            }
            var lines = new List<string>();
            var summary = TransitionSummary.Lines(ws);
            Describe(ws, rsc, summary, lines, depth: 0);
            return (IReadOnlyList<string>)lines;
        });
    }

    private static void Describe(WorkingSet ws, Resource rsc, IReadOnlyList<string> summary, List<string> lines, int depth)
    {
        var indent = new string(' ', depth * 2);
        lines.Add($"{indent}{Kind(rsc)} {rsc.Id}: {Now(rsc)}; planned: {Planned(rsc)}");
        foreach (var line in summary)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 1 && words[1] == rsc.Id)
            {
                lines.Add($"{indent}  action: {string.Join(' ', words)}");
            }
        }
        if (!rsc.Is(ResourceFlags.Managed))
        {
            lines.Add($"{indent}  not managed{(rsc.Is(ResourceFlags.Block) ? " (blocked after a failure it cannot recover from)" : "")}: the cluster leaves it as it is");
        }
        if (ConfigUnpacker.TryGetTargetRole(rsc, out var target))
        {
            lines.Add($"{indent}  target-role={TransitionSummary.RoleText(target)} limits it to that role");
        }
        if (rsc.Variant == ResourceVariant.Primitive)
        {
            DescribeNodes(ws, rsc, lines, indent);
        }
        foreach (var child in rsc.Children)
        {
            Describe(ws, child, summary, lines, depth + 1);
        }
    }

    private static string Kind(Resource rsc) => rsc.Variant switch
    {
        ResourceVariant.Group => "group",
        ResourceVariant.Clone => rsc.Is(ResourceFlags.Promotable) ? "promotable clone" : "clone",
        _ => rsc.Parent?.IsClone == true ? "instance" : "resource",
    };

    private static string Now(Resource rsc)
    {
        if (rsc.RunningOn.Count == 0)
        {
            return "stopped";
        }
        var role = TransitionSummary.RoleText(rsc.Role).ToLowerInvariant();
        var failed = rsc.Is(ResourceFlags.Failed) ? "failed, " : "";
        return $"{failed}{role} on {string.Join(", ", rsc.RunningOn.Select(n => n.Uname))}";
    }

    private static string Planned(Resource rsc)
    {
        if (rsc.Variant != ResourceVariant.Primitive)
        {
            return "see members";
        }
        if (rsc.AllocatedTo is null || rsc.NextRole == Role.Stopped)
        {
            return "stopped (no node can take it)";
        }
        var next = rsc.NextRole == Role.Unknown ? rsc.Role : rsc.NextRole;
        return $"{TransitionSummary.RoleText(next == Role.Stopped ? Role.Started : next).ToLowerInvariant()} on {rsc.AllocatedTo.Uname}";
    }

    private static void DescribeNodes(WorkingSet ws, Resource rsc, List<string> lines, string indent)
    {
        var finalScores = FinalScores(ws, rsc);
        lines.Add($"{indent}  node scores (the highest score on an available node wins; -INFINITY means never):");
        if (rsc.Parent?.IsClone == true || rsc.Top.IsClone)
        {
            lines.Add($"{indent}  (as an instance of {rsc.Top.Id}, its scores also reflect where the other instances go: clone-max, clone-node-max)");
        }
        foreach (var node in ws.Nodes)
        {
            var score = finalScores.TryGetValue(node.Uname, out var s) ? s : null;
            var chosen = rsc.AllocatedTo?.SameAs(node) == true ? "  <- chosen" : "";
            lines.Add($"{indent}    {node.Uname}: {score ?? "not allowed"}{chosen}");
            foreach (var term in Terms(ws, rsc, node))
            {
                lines.Add($"{indent}      {term}");
            }
        }
        if (rsc.ThisWith.Count > 0 || rsc.WithThis.Any(c => c.Influence))
        {
            lines.Add($"{indent}  colocations (they move its scores toward or away from other resources' nodes):");
        }
        foreach (var colocation in rsc.ThisWith)
        {
            var where = colocation.Primary.AllocatedTo is { } p ? $"placed on {p.Uname}" : "not placed";
            var role = colocation.PrimaryRole > Role.Unknown ? $" in role {TransitionSummary.RoleText(colocation.PrimaryRole)}" : "";
            var relation = colocation.Score > 0 ? "with" : "away from";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{indent}    colocation {colocation.Id}: {relation} {colocation.Primary.Id}{role} ({where}), score {Scores.ToText(colocation.Score)}"));
        }
        foreach (var colocation in rsc.WithThis.Where(c => c.Influence))
        {
            lines.Add($"{indent}    colocation {colocation.Id}: {colocation.Dependent.Id} wants to be {(colocation.Score > 0 ? "with" : "away from")} it, score {Scores.ToText(colocation.Score)}");
        }
    }

    /// <summary>The last allocation score recorded for the resource on each node.</summary>
    private static Dictionary<string, string> FinalScores(WorkingSet ws, Resource rsc)
    {
        var scores = new Dictionary<string, string>(StringComparer.Ordinal);
        var marker = $" {rsc.Id} allocation score on ";
        foreach (var line in ws.ScoreLog?.Lines ?? [])
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var rest = line[(at + marker.Length)..];
            var colon = rest.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                scores[rest[..colon]] = rest[(colon + 2)..];
            }
        }
        return scores;
    }

    private static IEnumerable<string> Terms(WorkingSet ws, Resource rsc, Node node)
    {
        var details = node.Details;
        if (details.Unclean)
        {
            yield return "node is unclean (it must be fenced): nothing may run there";
        }
        else if (!details.Online)
        {
            yield return "node is offline: nothing may run there";
        }
        else if (details.Standby)
        {
            yield return "node is in standby: resources may not run there";
        }
        else if (details.Shutdown)
        {
            yield return "node is shutting down";
        }
        if (details.Maintenance)
        {
            yield return "node is in maintenance: its resources are not managed";
        }
        for (var r = rsc; r is not null; r = r.Parent)
        {
            foreach (var location in r.Locations)
            {
                foreach (var weighted in location.Nodes.Where(n => n.SameAs(node)))
                {
                    var role = location.RoleFilter > Role.Unknown ? $" (for role {TransitionSummary.RoleText(location.RoleFilter)})" : "";
                    var via = ReferenceEquals(r, rsc) ? "" : $" (on {r.Id})";
                    yield return $"location {location.Id}{via}{role}: {Signed(weighted.Weight)}";
                }
            }
        }
        if (!ws.Is(ClusterFlags.SymmetricCluster) && rsc.Top.Locations.Count == 0 && rsc.Locations.Count == 0)
        {
            yield return "cluster is asymmetric and no location constraint enables this node";
        }
        if (rsc.RunningOn.Count == 1 && rsc.RunningOn[0].SameAs(node) && rsc.Stickiness > 0 && rsc.Is(ResourceFlags.Managed))
        {
            yield return $"stickiness (it runs here now): {Signed(rsc.Stickiness)}";
        }
        var failCount = FailCounts.Get(ws, details, rsc, effective: true);
        if (failCount > 0)
        {
            var threshold = rsc.MigrationThreshold == 0 ? "no migration-threshold" : $"migration-threshold {Scores.ToText(rsc.MigrationThreshold)}";
            var reached = NodeCriteria.ThresholdReached(rsc, node, out _) ? ": reached, banned here until cleaned up" : "";
            yield return $"fail count {Scores.ToText(failCount)} against {threshold}{reached}";
        }
    }

    private static string Signed(int score) => score > 0 ? "+" + Scores.ToText(score) : Scores.ToText(score);
}
