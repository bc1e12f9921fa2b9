using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Marks nodes as needing fencing and answers whether fencing is possible at all (fencing enabled, a
/// device configured, and quorum or a policy that does not need it).
/// </summary>
internal static class NodeFencing
{
    public static bool CanFence(WorkingSet ws, NodeDetails? node)
    {
        if (node is not null && node.IsGuest)
        {
            var container = node.RemoteRsc!.Container!;
            foreach (var host in container.RunningOn)
            {
                if (!host.Details.Online && !CanFence(ws, host.Details))
                {
                    return false;
                }
            }
            return true;
        }
        if (!ws.Is(ClusterFlags.StonithEnabled) || !ws.Is(ClusterFlags.HaveStonithResource))
        {
            return false;
        }
        if (ws.Is(ClusterFlags.HaveQuorum) || ws.NoQuorumPolicy == NoQuorumPolicy.Ignore)
        {
            return true;
        }
        return node is not null && node.Online;
    }

    /// <summary>Declares a node unclean (to be fenced) for a reason (pe_fence_node).</summary>
    public static void FenceNode(WorkingSet ws, Node node, string reason, bool priorityDelay)
    {
        var details = node.Details;
        if (details.IsGuest)
        {
            var rsc = details.RemoteRsc!.Container!;
            if (!rsc.Is(ResourceFlags.Failed) && rsc.Is(ResourceFlags.Managed))
            {
                details.RemoteRequiresReset = true;
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
            }
        }
        else if (details.IsRemoteOrGuest && details.RemoteRsc is null)
        {
            details.Unclean = true;
            ActionFactory.FenceOp(ws, node, null, true, reason, false);
        }
        else if (details.IsRemote)
        {
            var rsc = details.RemoteRsc;
            if (rsc is null || rsc.Is(ResourceFlags.Managed))
            {
                details.RemoteRequiresReset = true;
            }
            details.Unclean = true;
            ActionFactory.FenceOp(ws, node, null, true, reason, false);
        }
        else if (!details.Unclean)
        {
            details.Unclean = true;
            ActionFactory.FenceOp(ws, node, null, true, reason, priorityDelay);
        }
    }
}
