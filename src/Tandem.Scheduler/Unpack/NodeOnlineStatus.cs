using Tandem.Model.Status;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Decides from a node_state entry whether a cluster node is online, shutting down, pending or standby,
/// or unclean (must be fenced), with and without fencing enabled (determine_online_status).
/// </summary>
internal static class NodeOnlineStatus
{
    private const string Online = "online";
    private const string Member = "member";
    private const string Down = "down";
    private const string Pending = "pending";
    private const string Banned = "banned";

    public static void Determine(WorkingSet ws, NodeState state, Node node)
    {
        var details = node.Details;
        details.Shutdown = false;
        details.ExpectedUp = false;
        if (ShutdownRequested(details))
        {
            details.Shutdown = true;
        }
        else if (string.Equals(state.Expected, Member, StringComparison.OrdinalIgnoreCase))
        {
            details.ExpectedUp = true;
        }

        bool online;
        if (details.Type == NodeType.Ping)
        {
            details.Unclean = false;
            online = false;
        }
        else if (!ws.Is(ClusterFlags.StonithEnabled))
        {
            online = WithoutFencing(ws, state, node);
        }
        else
        {
            online = WithFencing(ws, state, node);
        }

        if (online)
        {
            details.Online = true;
        }
        else
        {
            node.Fixed = true;
            node.Weight = -Scores.Infinity;
        }
        if (online && details.Shutdown)
        {
            node.Fixed = true;
            node.Weight = -Scores.Infinity;
        }
    }

    public static bool ShutdownRequested(NodeDetails node)
    {
        var shutdown = node.Attribute("shutdown");
        return shutdown is not null && shutdown != "0";
    }

    private static bool WithoutFencing(WorkingSet ws, NodeState state, Node node)
    {
        if (!PcmkText.IsTrue(state.InCcm))
        {
            return false;
        }
        if (string.Equals(state.Crmd, Online, StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(state.Join, Member, StringComparison.OrdinalIgnoreCase);
        }
        if (!node.Details.ExpectedUp)
        {
            return false;
        }
        NodeFencing.FenceNode(ws, node, "peer is unexpectedly down", false);
        return false;
    }

    private static bool WithFencing(WorkingSet ws, NodeState state, Node node)
    {
        var details = node.Details;
        var terminate = details.Attribute("terminate");
        var doTerminate = PcmkText.IsTrue(terminate)
                          || (!string.IsNullOrEmpty(terminate) && terminate[0] != '0' && char.IsAsciiDigit(terminate[0]));
        var online = PcmkText.IsTrue(state.InCcm);
        var crmdOnline = string.Equals(state.Crmd, Online, StringComparison.OrdinalIgnoreCase);
        var expected = state.Expected ?? Down;
        var join = state.Join;

        if (details.Shutdown)
        {
            // A node that is shutting down cannot be a dead peer: only its controller matters.
            online = crmdOnline;
        }
        else if (state.InCcm is null)
        {
            NodeFencing.FenceNode(ws, node, "peer has not been seen by the cluster", false);
        }
        else if (string.Equals(join, Banned, StringComparison.OrdinalIgnoreCase))
        {
            NodeFencing.FenceNode(ws, node, "peer failed Pacemaker membership criteria", false);
        }
        else if (!doTerminate && string.Equals(expected, Down, StringComparison.OrdinalIgnoreCase))
        {
            if (PcmkText.IsTrue(state.InCcm) || crmdOnline)
            {
                details.Standby = true;
                details.Pending = true;
            }
        }
        else if (doTerminate && string.Equals(join, Down, StringComparison.OrdinalIgnoreCase)
                 && !PcmkText.IsTrue(state.InCcm) && !crmdOnline)
        {
            online = false;
        }
        else if (!PcmkText.IsTrue(state.InCcm))
        {
            NodeFencing.FenceNode(ws, node, "peer is no longer part of the cluster", true);
        }
        else if (!crmdOnline)
        {
            NodeFencing.FenceNode(ws, node, "peer process is no longer available", false);
        }
        else if (doTerminate)
        {
            NodeFencing.FenceNode(ws, node, "termination was requested", false);
        }
        else if (string.Equals(join, Member, StringComparison.OrdinalIgnoreCase))
        {
            // Active.
        }
        else if (string.Equals(join, Pending, StringComparison.OrdinalIgnoreCase) || string.Equals(join, Down, StringComparison.OrdinalIgnoreCase))
        {
            details.Standby = true;
            details.Pending = true;
        }
        else
        {
            NodeFencing.FenceNode(ws, node, "peer was in an unknown state", false);
        }
        return online;
    }
}
