using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Clones;

/// <summary>
/// The order in which clone instances are placed (pcmk__cmp_instance): instances active on fewer nodes,
/// on allowed nodes, with higher priority, active ones, on available nodes, on nodes with fewer
/// instances, not failed, with stronger colocations, then by instance number.
/// </summary>
internal static class InstanceOrder
{
    public static int CompareNumber(Resource a, Resource b)
    {
        var n1 = CloneIds.InstanceNumber(a.Id);
        var n2 = CloneIds.InstanceNumber(b.Id);
        return (int)(n1 - n2);
    }

    public static int Compare(Resource instance1, Resource instance2)
    {
        var node1 = instance1.FindActiveOn(out var nnodes1, out _);
        var node2 = instance2.FindActiveOn(out var nnodes2, out _);
        if (nnodes1 > 0 && nnodes2 > 0)
        {
            if (nnodes1 < nnodes2)
            {
                return -1;
            }
            if (nnodes1 > nnodes2)
            {
                return 1;
            }
        }
        var can1 = NodeIsAllowed(instance1, ref node1);
        var can2 = NodeIsAllowed(instance2, ref node2);
        if (can1 && !can2)
        {
            return -1;
        }
        if (!can1 && can2)
        {
            return 1;
        }
        if (instance1.Priority > instance2.Priority)
        {
            return -1;
        }
        if (instance1.Priority < instance2.Priority)
        {
            return 1;
        }
        if (node1 is null && node2 is null)
        {
            return 0;
        }
        if (node1 is null)
        {
            return 1;
        }
        if (node2 is null)
        {
            return -1;
        }
        can1 = NodeAvailability.Available(node1, false, false);
        can2 = NodeAvailability.Available(node2, false, false);
        if (can1 && !can2)
        {
            return -1;
        }
        if (!can1 && can2)
        {
            return 1;
        }
        node1 = NodeAvailability.TopAllowedNode(instance1, node1);
        node2 = NodeAvailability.TopAllowedNode(instance2, node2);
        if (node1 is null && node2 is null)
        {
            return 0;
        }
        if (node1 is null)
        {
            return 1;
        }
        if (node2 is null)
        {
            return -1;
        }
        if (node1.Count < node2.Count)
        {
            return -1;
        }
        if (node1.Count > node2.Count)
        {
            return 1;
        }
        can1 = DidFail(instance1);
        can2 = DidFail(instance2);
        if (!can1 && can2)
        {
            return -1;
        }
        if (can1 && !can2)
        {
            return 1;
        }
        var rc = CompareByColocation(instance1, instance2);
        if (rc != 0)
        {
            return rc;
        }
        return CompareNumber(instance1, instance2);
    }

    private static bool NodeIsAllowed(Resource rsc, ref Node? node)
    {
        if (node is not null)
        {
            var allowed = rsc.AllowedNodes.Get(node.Id);
            if (allowed is null || allowed.Weight < 0)
            {
                node = null;
                return false;
            }
        }
        return true;
    }

    private static bool DidFail(Resource rsc)
    {
        if (rsc.Is(ResourceFlags.Failed))
        {
            return true;
        }
        return rsc.Children.Any(DidFail);
    }

    private static int CompareByColocation(Resource instance1, Resource instance2)
    {
        var current1 = instance1.CurrentNode()!;
        var current2 = instance2.CurrentNode()!;
        var scores1 = (NodeTable?)SingleNodeTable(current1);
        var scores2 = (NodeTable?)SingleNodeTable(current2);
        ApplyParentColocations(instance1, ref scores1);
        ApplyParentColocations(instance2, ref scores2);
        var n1 = scores1!.Get(current1.Id)!;
        var n2 = scores2!.Get(current2.Id)!;
        if (n1.Weight < n2.Weight)
        {
            return 1;
        }
        return n1.Weight > n2.Weight ? -1 : 0;
    }

    private static NodeTable SingleNodeTable(Node node)
    {
        var table = new NodeTable();
        table.Set(node.Copy());
        return table;
    }

    private static void ApplyParentColocations(Resource rsc, ref NodeTable? nodes)
    {
        foreach (var colocation in rsc.Parent!.ThisWith.ToList())
        {
            ColocatedScores.Add(colocation.Primary, rsc.Id, ref nodes, colocation.NodeAttribute,
                colocation.Score / (float)Scores.Infinity, ColocatedScores.Select.Default);
        }
        foreach (var colocation in rsc.Parent.WithThis.ToList())
        {
            if (!Colocations.HasInfluence(colocation, rsc))
            {
                continue;
            }
            ColocatedScores.Add(colocation.Dependent, rsc.Id, ref nodes, colocation.NodeAttribute,
                colocation.Score / (float)Scores.Infinity, ColocatedScores.Select.Nonnegative);
        }
    }
}
