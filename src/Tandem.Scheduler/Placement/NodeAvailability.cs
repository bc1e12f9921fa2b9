using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>Whether nodes can take resources, and the order in which nodes are preferred.</summary>
internal static class NodeAvailability
{
    /// <summary>Online, not shutting down, clean, not standby, not in maintenance (and optionally a non-negative score).</summary>
    public static bool Available(Node? node, bool considerScore, bool considerGuest)
    {
        if (node is null)
        {
            return false;
        }
        var d = node.Details;
        if (!d.Online || d.Shutdown || d.Unclean || d.Standby || d.Maintenance)
        {
            return false;
        }
        if (considerScore && node.Weight < 0)
        {
            return false;
        }
        if (considerGuest && d.IsGuest)
        {
            var guest = d.RemoteRsc!.Container!;
            if (guest.Location(null, 0) is null)
            {
                return false;
            }
        }
        return true;
    }

    public static bool AnyAvailable(NodeTable? nodes)
    {
        if (nodes is null)
        {
            return false;
        }
        foreach (var node in nodes.Values)
        {
            if (Available(node, true, false))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Sorts nodes best first: by weight (unavailable nodes count as -INFINITY), then by spare capacity
    /// when balancing, by fewer assigned resources, by being the resource's current node, then by name.
    /// </summary>
    public static List<Node> Sort(IEnumerable<Node> nodes, Node? active, WorkingSet ws)
    {
        return GList.Sort(nodes, (node1, node2) => Compare(node1, node2, active, ws));
    }

    private static int Compare(Node node1, Node node2, Node? active, WorkingSet ws)
    {
        var w1 = Available(node1, false, false) ? node1.Weight : -Scores.Infinity;
        var w2 = Available(node2, false, false) ? node2.Weight : -Scores.Infinity;
        if (w1 > w2)
        {
            return -1;
        }
        if (w1 < w2)
        {
            return 1;
        }
        if (!string.Equals(ws.PlacementStrategy, "minimal", StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(ws.PlacementStrategy, "balanced", StringComparison.OrdinalIgnoreCase))
            {
                var result = Utilization.CompareCapacities(node1, node2);
                if (result != 0)
                {
                    return result;
                }
            }
            if (node1.Details.NumResources < node2.Details.NumResources)
            {
                return -1;
            }
            if (node1.Details.NumResources > node2.Details.NumResources)
            {
                return 1;
            }
            if (active is not null)
            {
                if (ReferenceEquals(active.Details, node1.Details))
                {
                    return -1;
                }
                if (ReferenceEquals(active.Details, node2.Details))
                {
                    return 1;
                }
            }
        }
        return PcmkText.StrCmp(node1.Uname, node2.Uname);
    }

    /// <summary>The node entry in the resource's (or for instances, the parent's) allowed-node table.</summary>
    public static Node? TopAllowedNode(Resource rsc, Node? node)
    {
        if (node is null)
        {
            return null;
        }
        var table = rsc.Parent is null ? rsc.AllowedNodes : rsc.Parent.AllowedNodes;
        return table.Get(node.Id);
    }
}
