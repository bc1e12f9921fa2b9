using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Pacemaker Remote and guest nodes. Tandem nodes are all full cluster members; these helpers answer
/// the questions the scheduler asks about remote nodes so configurations that declare them are read
/// consistently.
/// </summary>
internal static class RemoteOrdering
{
    /// <summary>The connection resource of a guest node whose container is <paramref name="rsc"/>, if any.</summary>
    public static Resource? GuestConnectionFor(WorkingSet ws, Resource rsc)
    {
        if (!ws.Is(ClusterFlags.HaveRemoteNodes))
        {
            return null;
        }
        foreach (var node in ws.Nodes)
        {
            if (node.Details.IsGuest && ReferenceEquals(node.Details.RemoteRsc!.Container, rsc))
            {
                return node.Details.RemoteRsc;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="rsc"/> is the container of the guest node <paramref name="node"/>.</summary>
    public static bool CorrespondsToGuest(Resource rsc, Node? node) =>
        node?.Details.RemoteRsc is { } remote && ReferenceEquals(remote.Container, rsc);
}
