using Tandem.Model.Resources;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>Records that a resource runs on a node, with what that implies for unmanaged and multiply active resources.</summary>
internal static class Running
{
    public static void AddRunning(Resource rsc, Node node, bool failed)
    {
        foreach (var existing in rsc.RunningOn)
        {
            if (string.Equals(existing.Id, node.Id, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        rsc.RunningOn.Add(node);
        if (rsc.Variant == ResourceVariant.Primitive)
        {
            node.Details.RunningRsc.Add(rsc);
            AddPriorityToNode(rsc, node, failed);
        }
        if (rsc.Variant == ResourceVariant.Primitive && node.Details.Maintenance)
        {
            rsc.Clear(ResourceFlags.Managed);
        }
        if (!rsc.Is(ResourceFlags.Managed))
        {
            NodeScores.ResourceLocation(rsc, node, Scores.Infinity, "not_managed_default");
            for (var p = rsc.Parent; p is not null && node.Details.Online; p = p.Parent)
            {
                p.RunningOn.Add(node);
            }
            return;
        }
        if (IsMultiplyActive(rsc))
        {
            switch (rsc.RecoveryType)
            {
                case RecoveryType.StopOnly:
                    rsc.AllowedNodes = NodeTable.FromList(rsc.Cluster.Nodes);
                    foreach (var n in rsc.AllowedNodes.Values)
                    {
                        n.Weight = -Scores.Infinity;
                    }
                    break;
                case RecoveryType.Block:
                    rsc.Clear(ResourceFlags.Managed);
                    rsc.Set(ResourceFlags.Block);
                    if (rsc.Parent is not null && rsc.Parent.Variant is ResourceVariant.Group or ResourceVariant.Bundle
                        && rsc.Parent.RecoveryType == RecoveryType.Block)
                    {
                        foreach (var child in rsc.Parent.Children)
                        {
                            child.Clear(ResourceFlags.Managed);
                            child.Set(ResourceFlags.Block);
                        }
                    }
                    break;
            }
        }
        if (rsc.Parent is not null)
        {
            AddRunning(rsc.Parent, node, false);
        }
    }

    private static bool IsMultiplyActive(Resource rsc)
    {
        if (rsc.Variant != ResourceVariant.Primitive)
        {
            return false;
        }
        rsc.FindActiveRequires(out var count);
        return count > 1;
    }

    private static void AddPriorityToNode(Resource rsc, Node node, bool failed)
    {
        if (rsc.Priority == 0 || failed)
        {
            return;
        }
        var priority = rsc.Role == Role.Promoted ? rsc.Priority + 1 : rsc.Priority;
        node.Details.Priority += priority;
        if (node.Details.RemoteRsc?.Container is { } container)
        {
            foreach (var host in container.RunningOn)
            {
                host.Details.Priority += priority;
            }
        }
    }
}
