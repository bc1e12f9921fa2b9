using Tandem.Model.Resources;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>Online state of Pacemaker Remote and guest nodes, which follows their connection resource.</summary>
internal static class RemoteNodes
{
    public static void DetermineOnline(WorkingSet ws, Node node)
    {
        _ = ws;
        var details = node.Details;
        var rsc = details.RemoteRsc;
        if (rsc is null)
        {
            details.Online = false;
            return;
        }
        var container = rsc.Container;
        Node? host = null;
        if (container is not null && rsc.RunningOn.Count == 1)
        {
            host = rsc.RunningOn[0];
        }
        if (rsc.Role == Role.Started)
        {
            details.Online = true;
        }
        if (rsc.Role == Role.Started && rsc.NextRole == Role.Stopped)
        {
            details.Shutdown = true;
        }
        if (container is not null && container.Is(ResourceFlags.Failed))
        {
            details.Online = false;
            details.RemoteRequiresReset = true;
        }
        else if (rsc.Is(ResourceFlags.Failed))
        {
            details.Online = false;
        }
        else if (rsc.Role == Role.Stopped || (container is not null && container.Role == Role.Stopped))
        {
            details.Online = false;
            details.RemoteRequiresReset = false;
        }
        else if (host is not null && !host.Details.Online && host.Details.Unclean)
        {
            details.Online = false;
            details.RemoteRequiresReset = true;
        }
    }
}
