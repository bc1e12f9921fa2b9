using Tandem.Model.Cluster;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Validation;

/// <summary>
/// Constraints that cannot all hold: a resource both required and banned on a node, two resources both
/// kept together and kept apart, mandatory orders in a loop, a resource banned from every node, and in
/// an opt-in cluster a resource that no location allows anywhere.
/// </summary>
internal static class ConflictChecks
{
    public static void Check(ClusterConfiguration c, List<Diagnostic> findings)
    {
        LocationConflicts(c, findings);
        ColocationConflicts(c, findings);
        OrderLoops(c, findings);
        Unplaceable(c, findings);
    }

    private static void LocationConflicts(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var simple = c.Constraints.OfType<LocationConstraint>()
            .Where(l => l.Resource is not null && l.Node is not null && l.Score is { IsInfinite: true })
            .GroupBy(l => (l.Resource, l.Node, l.Role));
        foreach (var group in simple)
        {
            var required = group.FirstOrDefault(l => l.Score!.Value.IsInfinity);
            var banned = group.FirstOrDefault(l => l.Score!.Value.IsMinusInfinity);
            if (required is not null && banned is not null)
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(banned),
                    $"location '{required.Id}' requires '{group.Key.Resource}' on {group.Key.Node} (INFINITY) but location '{banned.Id}' bans it there (-INFINITY): " +
                    $"the ban wins, so '{group.Key.Resource}' never runs on {group.Key.Node}") { Code = "contradictory-constraints" });
            }
        }
    }

    private static void ColocationConflicts(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var simple = c.Constraints.OfType<ColocationConstraint>()
            .Where(col => col.Resource is not null && col.WithResource is not null && col.Score is { IsInfinite: true })
            .ToList();
        // Either direction counts: "A with B" and "B apart from A" contradict as much as the same direction does.
        var groups = simple.GroupBy(col => string.CompareOrdinal(col.Resource, col.WithResource) <= 0
            ? (col.Resource!, col.WithResource!, col.ResourceRole, col.WithResourceRole)
            : (col.WithResource!, col.Resource!, col.WithResourceRole, col.ResourceRole));
        foreach (var group in groups)
        {
            var together = group.FirstOrDefault(col => col.Score!.Value.IsInfinity);
            var apart = group.FirstOrDefault(col => col.Score!.Value.IsMinusInfinity);
            if (together is not null && apart is not null)
            {
                var (a, b, _, _) = group.Key;
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(apart),
                    $"colocation '{together.Id}' keeps '{a}' with '{b}' (INFINITY) but colocation '{apart.Id}' keeps them apart (-INFINITY): " +
                    $"'{together.Resource}' can never run while '{together.WithResource}' runs") { Code = "contradictory-constraints" });
            }
        }
    }

    /// <summary>Loops of mandatory orders between simple (first, then) pairs: each action would wait for itself.</summary>
    private static void OrderLoops(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var edges = new Dictionary<(string, ResourceAction), List<(string, ResourceAction, OrderConstraint)>>();
        foreach (var order in c.Constraints.OfType<OrderConstraint>().Where(IsMandatory))
        {
            if (order.First is null || order.Then is null)
            {
                continue;
            }
            var from = (order.First, order.FirstAction ?? ResourceAction.Start);
            var to = (order.Then, order.ThenAction ?? order.FirstAction ?? ResourceAction.Start);
            if (!edges.TryGetValue(from, out var list))
            {
                edges[from] = list = [];
            }
            list.Add((to.Item1, to.Item2, order));
        }
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<(string, ResourceAction)>();
        foreach (var start in edges.Keys.ToList())
        {
            var path = new List<((string, ResourceAction) Node, OrderConstraint? Via)>();
            FindLoop(start, null, edges, path, [], done, loop =>
            {
                var ids = loop.Select(step => step.Via!.Id).ToList();
                var key = string.Join(',', ids.Order(StringComparer.Ordinal));
                if (reported.Add(key))
                {
                    var chain = string.Join(" before ", loop.Select(step => $"{step.Node.Item1} {step.Node.Item2.ToName()}"));
                    findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(loop[0].Via!),
                        $"orders {string.Join(", ", ids.Select(i => $"'{i}'"))} form a loop: {chain} before {loop[0].Node.Item1} {loop[0].Node.Item2.ToName()}; " +
                        "each waits for another, so none of them can happen") { Code = "order-loop" });
                }
            });
        }
    }

    private static void FindLoop(
        (string, ResourceAction) node,
        OrderConstraint? via,
        Dictionary<(string, ResourceAction), List<(string, ResourceAction, OrderConstraint)>> edges,
        List<((string, ResourceAction) Node, OrderConstraint? Via)> path,
        HashSet<(string, ResourceAction)> onPath,
        HashSet<(string, ResourceAction)> done,
        Action<List<((string, ResourceAction) Node, OrderConstraint? Via)>> onLoop)
    {
        if (onPath.Contains(node))
        {
            var startIndex = path.FindIndex(step => step.Node == node);
            // Each step of the loop is reported with the order that leads out of it.
            var loop = path.Skip(startIndex).Select((step, i) => (step.Node, i + startIndex + 1 < path.Count ? path[i + startIndex + 1].Via : via)).ToList();
            onLoop(loop);
            return;
        }
        if (done.Contains(node))
        {
            return;
        }
        path.Add((node, via));
        onPath.Add(node);
        if (edges.TryGetValue(node, out var next))
        {
            foreach (var (rsc, action, order) in next)
            {
                FindLoop((rsc, action), order, edges, path, onPath, done, onLoop);
            }
        }
        onPath.Remove(node);
        path.RemoveAt(path.Count - 1);
        done.Add(node);
    }

    private static bool IsMandatory(OrderConstraint order) =>
        order.Kind switch
        {
            OrderKind.Mandatory => true,
            null => order.Score is not { } score || score.Value > 0,
            _ => false,
        };

    private static void Unplaceable(ClusterConfiguration c, List<Diagnostic> findings)
    {
        if (c.Nodes.Count == 0)
        {
            return;
        }
        var locations = c.Constraints.OfType<LocationConstraint>().ToList();
        foreach (var resource in c.Resources)
        {
            var ids = resource.SelfAndDescendants.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var own = locations.Where(l => l.ReferencedResources.Any(ids.Contains)).ToList();
            var bannedNodes = own.Where(l => l.Node is not null && l.Score is { IsMinusInfinity: true } && l.Role is null && l.Resource == resource.Id)
                .Select(l => l.Node!).ToHashSet(StringComparer.Ordinal);
            if (c.Nodes.All(n => bannedNodes.Contains(n.Uname)))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Warning, Paths.Of(resource),
                    $"{Paths.Kind(resource)} '{resource.Id}' is banned (-INFINITY) from every configured node: it can never run") { Code = "unplaceable" });
                continue;
            }
            // A node is usable with a score of 0 or more; only a location can add nodes in an opt-in cluster.
            var allows = own.Any(l => l.Node is not null && l.Score is { } score ? score >= Score.Zero
                : l.Rules.Any(r => r.ScoreAttribute is not null || r.Score is not { } s || s >= Score.Zero));
            if (!c.Options.SymmetricCluster && !allows)
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Warning, Paths.Of(resource),
                    $"the cluster is opt-in (symmetric-cluster=false) and no location allows {Paths.Kind(resource)} '{resource.Id}' on any node: it never starts") { Code = "unplaceable" });
            }
        }
    }
}
