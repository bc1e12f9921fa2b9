using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>
/// The per-node inputs to placement that come before assignment: node health, location constraints,
/// stickiness, fail counts against migration-threshold and exclusive resource discovery.
/// </summary>
internal static class NodeCriteria
{
    /// <summary>Node health as a location score for every resource (pcmk__apply_node_health).</summary>
    public static void ApplyNodeHealth(WorkingSet ws)
    {
        var strategy = ClusterOptions.HealthStrategy(ws.Options);
        if (strategy == "none" || strategy is not ("migrate-on-red" or "only-green" or "progressive" or "custom"))
        {
            return;
        }
        var baseHealth = strategy == "progressive" ? HealthScore(ws, "node-health-base") : 0;
        foreach (var node in ws.Nodes)
        {
            var health = baseHealth;
            foreach (var (name, value) in node.Details.Attrs)
            {
                if (name.StartsWith("#health", StringComparison.Ordinal))
                {
                    health = Scores.Add(ws.ParseScore(value), health);
                }
            }
            if (health == 0)
            {
                continue;
            }
            foreach (var rsc in ws.Resources)
            {
                var constrain = health >= 0 || !PcmkText.IsTrue(rsc.Meta.GetValueOrDefault("allow-unhealthy-nodes"));
                if (constrain)
                {
                    LocationConstraints.New(ws, ws.Options["node-health-strategy"], rsc, health, DiscoverMode.Always, node);
                }
            }
        }
    }

    private static int HealthScore(WorkingSet ws, string option) => ws.ParseScore(ws.Options.GetValueOrDefault(option));

    /// <summary>apply_node_criteria: locations, stickiness, then fail counts and exclusive discovery per node.</summary>
    public static void Apply(WorkingSet ws)
    {
        if (ws.Is(ClusterFlags.ShutdownLock))
        {
            foreach (var rsc in ws.Resources)
            {
                ApplyShutdownLock(ws, rsc);
            }
        }
        LocationConstraints.ApplyAll(ws);
        foreach (var rsc in ws.Resources)
        {
            ApplyStickiness(rsc);
        }
        foreach (var node in ws.Nodes)
        {
            foreach (var rsc in ws.Resources)
            {
                CheckFailureThreshold(rsc, node);
                ApplyExclusiveDiscovery(rsc, node);
            }
        }
    }

    /// <summary>
    /// Keeps a resource on the node that shut down cleanly with it until that node returns (or the lock
    /// expires): bans it everywhere else. Clones, fence devices and remote connections are never locked.
    /// </summary>
    private static void ApplyShutdownLock(WorkingSet ws, Resource rsc)
    {
        if (rsc.Variant == ResourceVariant.Group)
        {
            foreach (var member in rsc.Children)
            {
                ApplyShutdownLock(ws, member);
            }
            return;
        }
        if (rsc.Variant != ResourceVariant.Primitive || rsc.Definition.Class is null or "stonith" || rsc.IsRemoteNode)
        {
            return;
        }
        if (rsc.LockNode is not null)
        {
            if (rsc.RunningOn.Count > 0)
            {
                // Started elsewhere although locked: leave it be and drop the lock.
                if (ws.Nodes.FirstOrDefault(n => ReferenceEquals(n.Details, rsc.LockNode)) is { } lockedTo)
                {
                    Actions.ActionFactory.ClearResourceHistory(rsc, lockedTo);
                }
                rsc.LockNode = null;
                rsc.LockTime = 0;
            }
        }
        else if (rsc.RunningOn.Count == 1)
        {
            var node = rsc.RunningOn[0].Details;
            if (node.Shutdown && !node.Unclean)
            {
                rsc.LockNode = node;
                var shutdown = Model.Status.StatusXmlReader.ParseLong(node.Attribute("shutdown")) ?? 0;
                rsc.LockTime = shutdown == 0 ? ws.Now : shutdown;
            }
        }
        if (rsc.LockNode is null)
        {
            return;
        }
        if (ws.ShutdownLockSeconds > 0)
        {
            ws.UpdateRecheckTime(rsc.LockTime + ws.ShutdownLockSeconds + 1);
        }
        foreach (var node in ws.Nodes)
        {
            if (node.Uname != rsc.LockNode.Uname)
            {
                NodeScores.ResourceLocation(rsc, node, -Scores.Infinity, "shutdown-lock");
            }
        }
    }

    private static void ApplyStickiness(Resource rsc)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                ApplyStickiness(child);
            }
            return;
        }
        if (!rsc.Is(ResourceFlags.Managed) || rsc.Stickiness < 1 || rsc.RunningOn.Count != 1)
        {
            return;
        }
        var node = rsc.RunningOn[0];
        if (!rsc.Cluster.Is(ClusterFlags.SymmetricCluster) && rsc.AllowedNodes.Get(node.Id) is null)
        {
            // In an asymmetric cluster, stickiness does not keep a resource where it is no longer enabled.
            return;
        }
        NodeScores.ResourceLocation(rsc, node, rsc.Stickiness, "stickiness");
    }

    private static void CheckFailureThreshold(Resource rsc, Node node)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                CheckFailureThreshold(child, node);
            }
            return;
        }
        if (Actions.ActionFactory.ResourceActions(rsc, node, Actions.ActionFactory.ClearFailcount, true).Count > 0)
        {
            // The fail count is about to be cleared.
            return;
        }
        if (ThresholdReached(rsc, node, out var failed))
        {
            NodeScores.ResourceLocation(failed!, node, -Scores.Infinity, "__fail_limit__");
        }
    }

    /// <summary>Whether the resource failed on the node as often as its migration-threshold allows (pcmk__threshold_reached).</summary>
    public static bool ThresholdReached(Resource rsc, Node node, out Resource? failed)
    {
        failed = null;
        if (rsc.MigrationThreshold == 0 || rsc.Is(ResourceFlags.FailureIgnored))
        {
            return false;
        }
        var failCount = FailCounts.Get(rsc.Cluster, node.Details, rsc, effective: true, fillers: true);
        if (failCount <= 0)
        {
            return false;
        }
        var toBan = rsc.Is(ResourceFlags.Unique) ? rsc : rsc.Top;
        if (rsc.MigrationThreshold - failCount <= 0)
        {
            failed = toBan;
            return true;
        }
        return false;
    }

    private static void ApplyExclusiveDiscovery(Resource rsc, Node node)
    {
        if (!rsc.ExclusiveDiscover && !rsc.Top.ExclusiveDiscover)
        {
            return;
        }
        foreach (var child in rsc.Children)
        {
            ApplyExclusiveDiscovery(child, node);
        }
        var match = rsc.AllowedNodes.Get(node.Id);
        if (match is not null && match.DiscoverMode != DiscoverMode.Exclusive)
        {
            match.Weight = -Scores.Infinity;
        }
    }

    /// <summary>
    /// The order in which resources are assigned when placement considers utilization: priority, then
    /// the score on the current node, then the best score anywhere (pcmk__sort_resources).
    /// </summary>
    public static void SortResources(WorkingSet ws)
    {
        var nodes = NodeAvailability.Sort(ws.Nodes.ToList(), null, ws);
        var tables = new Dictionary<Resource, NodeTable?>();
        NodeTable? TableFor(Resource rsc)
        {
            if (!tables.TryGetValue(rsc, out var table))
            {
                table = null;
                ColocatedScores.Add(rsc, rsc.Id, ref table, null, 1, ColocatedScores.Select.ThisWith);
                tables[rsc] = table;
            }
            return table;
        }
        static int WeightOn(Node? node, NodeTable? table) =>
            node is null || table?.Get(node.Id) is not { } weighted ? -Scores.Infinity : weighted.Weight;

        var sorted = GList.Sort(ws.Resources, (a, b) =>
        {
            if (a.Priority != b.Priority)
            {
                return a.Priority > b.Priority ? -1 : 1;
            }
            var aTable = TableFor(a);
            var bTable = TableFor(b);
            var aWeight = WeightOn(a.RunningOn.Count > 0 ? a.CurrentNode() : null, aTable);
            var bWeight = WeightOn(b.RunningOn.Count > 0 ? b.CurrentNode() : null, bTable);
            if (aWeight != bWeight)
            {
                return aWeight > bWeight ? -1 : 1;
            }
            foreach (var node in nodes)
            {
                aWeight = WeightOn(node, aTable);
                bWeight = WeightOn(node, bTable);
                if (aWeight != bWeight)
                {
                    return aWeight > bWeight ? -1 : 1;
                }
            }
            return 0;
        });
        ws.Resources.Clear();
        ws.Resources.AddRange(sorted);
    }
}
