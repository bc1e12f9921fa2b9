using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Fencing and shutdown: schedules fencing of unclean nodes (when possible) and shutdown of nodes
/// that asked for it, orders recovery after fencing, and turns stops on fenced nodes into pseudo-actions
/// implied by the fencing.
/// </summary>
internal static class Fencing
{
    public static void ScheduleFencingAndShutdowns(WorkingSet ws)
    {
        SchedAction? dcDown = null;
        var haveManaged = ws.Resources.Any(IsManaged);
        var fencingOps = new List<SchedAction>();
        var shutdownOps = new List<SchedAction>();
        foreach (var node in ws.Nodes)
        {
            SchedAction? fencing = null;
            if (node.Details.IsGuest)
            {
                if (node.Details.RemoteRequiresReset && haveManaged && NodeFencing.CanFence(ws, node.Details))
                {
                    FenceGuest(ws, node);
                }
                continue;
            }
            if (haveManaged && node.Details.Unclean && NodeFencing.CanFence(ws, node.Details))
            {
                fencing = ActionFactory.FenceOp(ws, node, null, false, "node is unclean", false);
                OrderVsFence(ws, fencing);
                if (node.Details.IsDc)
                {
                    dcDown = fencing;
                }
                else
                {
                    if (!ws.Is(ClusterFlags.ConcurrentFencing) && fencingOps.Count > 0)
                    {
                        ActionFactory.OrderActions(fencingOps[0], fencing, OrderFlags.Optional);
                    }
                    fencingOps.Insert(0, fencing);
                }
            }
            else if (!node.Details.IsRemoteOrGuest && node.Details.Online && node.Details.Shutdown)
            {
                var down = NewShutdownAction(ws, node);
                if (node.Details.IsDc)
                {
                    dcDown = down;
                }
                else
                {
                    shutdownOps.Insert(0, down);
                }
            }
        }
        if (dcDown is not null)
        {
            if (dcDown.Task == ActionFactory.Shutdown)
            {
                Orderings.OrderAfterEach(dcDown, shutdownOps);
            }
            if (ws.Is(ClusterFlags.ConcurrentFencing))
            {
                Orderings.OrderAfterEach(dcDown, fencingOps);
            }
            else if (fencingOps.Count > 0)
            {
                ActionFactory.OrderActions(fencingOps[0], dcDown, OrderFlags.Optional);
            }
        }
    }

    private static bool IsManaged(Resource rsc) => rsc.Is(ResourceFlags.Managed) || rsc.Children.Any(IsManaged);

    private static SchedAction NewShutdownAction(WorkingSet ws, Node node)
    {
        var shutdown = ActionFactory.CustomAction(ws, null, $"{ActionFactory.Shutdown}-{node.Uname}", ActionFactory.Shutdown, node, false, true);
        Orderings.OrderStopsBeforeShutdown(ws, node, shutdown);
        shutdown.Meta.TryAdd("op_no_wait", "true");
        return shutdown;
    }

    /// <summary>Orders a fencing action against every resource's starts and (implied) stops.</summary>
    public static void OrderVsFence(WorkingSet ws, SchedAction stonith)
    {
        foreach (var rsc in ws.Resources.ToList())
        {
            RscStonithOrdering(ws, rsc, stonith);
        }
    }

    private static void RscStonithOrdering(WorkingSet ws, Resource rsc, SchedAction stonith)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children.ToList())
            {
                RscStonithOrdering(ws, child, stonith);
            }
        }
        else if (rsc.Is(ResourceFlags.Managed))
        {
            OrderStartVsFencing(rsc, stonith);
            OrderStopVsFencing(ws, rsc, stonith);
        }
    }

    private static bool RscIsKnownOn(Resource rsc, Node node)
    {
        if (rsc.KnownOn.Get(node.Id) is not null)
        {
            return true;
        }
        return rsc.Variant == ResourceVariant.Primitive && rsc.Parent is not null && rsc.Parent.IsAnonClone
               && rsc.Parent.KnownOn.Get(node.Id) is not null;
    }

    private static void OrderStartVsFencing(Resource rsc, SchedAction stonith)
    {
        var target = stonith.Node!;
        foreach (var action in rsc.Actions.ToList())
        {
            switch (action.Needs)
            {
                case ActionRequires.Fencing:
                    ActionFactory.OrderActions(stonith, action, OrderFlags.Optional);
                    break;
                case ActionRequires.Quorum:
                    if (action.Task == ActionFactory.Start && rsc.AllowedNodes.Get(target.Id) is not null && !RscIsKnownOn(rsc, target))
                    {
                        ActionFactory.OrderActions(stonith, action, OrderFlags.Optional | OrderFlags.RunnableLeft);
                    }
                    break;
            }
        }
    }

    private static void OrderStopVsFencing(WorkingSet ws, Resource rsc, SchedAction stonith)
    {
        var target = stonith.Node!;
        var top = rsc.Top;
        var stops = ActionFactory.ResourceActions(rsc, target, ActionFactory.Stop, false);
        var orderImplicit = rsc.Is(ResourceFlags.NeedsFencing) || target.Details.IsGuest;
        SchedAction? parentStop = null;
        if (stops.Count > 0 && orderImplicit)
        {
            parentStop = ActionFactory.FindFirstAction(top.Actions, null, ActionFactory.Stop, null);
        }
        foreach (var action in stops)
        {
            // The stop would never complete: the fencing does it.
            action.Set(ActionFlags.Pseudo | ActionFlags.Runnable);
            if (orderImplicit)
            {
                action.Set(ActionFlags.ImpliedByStonith);
                ActionFactory.OrderActions(stonith, action, OrderFlags.Preserve);
                ActionFactory.OrderActions(stonith, parentStop, OrderFlags.Preserve);
            }
            if (rsc.Is(ResourceFlags.Notify))
            {
                Notifications.OrderNotificationsAfterFencing(ws, action, rsc, stonith);
            }
        }
        foreach (var action in ActionFactory.ResourceActions(rsc, target, ActionFactory.Demote, false))
        {
            if (!action.Node!.Details.Online || action.Node.Details.Unclean || rsc.Is(ResourceFlags.Failed))
            {
                action.Set(ActionFlags.Pseudo | ActionFlags.Runnable);
                if (orderImplicit)
                {
                    ActionFactory.OrderActions(stonith, action, OrderFlags.Preserve | OrderFlags.Optional);
                }
            }
        }
    }

    /// <summary>Orders unfencing before probes and starts of resources that need it.</summary>
    public static void OrderVsUnfence(Resource rsc, Node node, SchedAction action, OrderFlags order)
    {
        var ws = rsc.Cluster;
        if ((rsc.Is(ResourceFlags.FenceDevice) && ws.Is(ClusterFlags.EnableUnfencing)) || rsc.Is(ResourceFlags.NeedsUnfencing))
        {
            var unfence = ActionFactory.FenceOp(ws, node, "on", true, null, false);
            ActionFactory.OrderActions(unfence, action, order);
            if (!NodeUnfenced(node))
            {
                TriggerUnfencing(ws, null, node, $"required by {rsc.Id} {action.Task}", null);
            }
        }
    }

    public static bool NodeUnfenced(Node node)
    {
        var unfenced = node.Details.Attribute("#node-unfenced");
        return unfenced is not null && unfenced != "0";
    }

    /// <summary>Schedules unfencing of a node (or of every node a fence device may use).</summary>
    public static void TriggerUnfencing(WorkingSet ws, Resource? rsc, Node? node, string reason, SchedAction? dependency)
    {
        if (!ws.Is(ClusterFlags.EnableUnfencing))
        {
            return;
        }
        if (rsc is not null && !rsc.Is(ResourceFlags.FenceDevice))
        {
            return;
        }
        if (node is not null && node.Details.Online && !node.Details.Unclean && !node.Details.Shutdown)
        {
            var unfence = ActionFactory.FenceOp(ws, node, "on", false, reason, false);
            if (dependency is not null)
            {
                ActionFactory.OrderActions(unfence, dependency, OrderFlags.Optional);
            }
        }
        else if (rsc is not null)
        {
            foreach (var allowed in rsc.AllowedNodes.Values.ToList())
            {
                if (allowed.Details.Online && !allowed.Details.Unclean && !allowed.Details.Shutdown)
                {
                    TriggerUnfencing(ws, rsc, allowed, reason, dependency);
                }
            }
        }
    }

    /// <summary>Orders a resource's stops before a node's unfencing and its starts after it.</summary>
    public static void OrderRestartVsUnfence(Resource rsc, Node node)
    {
        var ws = rsc.Cluster;
        var unfence = ActionFactory.FenceOp(ws, node, "on", true, null, false);
        Orderings.New(ws, rsc, ActionFactory.StopKey(rsc), null, null, unfence.Uuid, unfence, OrderFlags.Optional | OrderFlags.SameNode);
        Orderings.New(ws, null, unfence.Uuid, unfence, rsc, ActionFactory.StartKey(rsc), null, OrderFlags.ImpliesThenOnNode | OrderFlags.SameNode);
    }

    private static void FenceGuest(WorkingSet ws, Node node)
    {
        var container = node.Details.RemoteRsc!.Container;
        SchedAction? stop = null;
        var fenceAction = "off";
        if (container is not null)
        {
            stop = ActionFactory.FindFirstAction(container.Actions, null, ActionFactory.Stop, null);
            if (ActionFactory.FindFirstAction(container.Actions, null, ActionFactory.Start, null) is not null)
            {
                fenceAction = "reboot";
            }
        }
        var stonith = ActionFactory.FenceOp(ws, node, fenceAction, false, "guest is unclean", false);
        stonith.Set(ActionFlags.Pseudo | ActionFlags.Runnable);
        if (stop is not null && stop.Is(ActionFlags.Pseudo))
        {
            var parentStonith = ActionFactory.FenceOp(ws, ws.Nodes.First(n => ReferenceEquals(n.Details, stop.Node!.Details)), null, false, null, false);
            ActionFactory.OrderActions(parentStonith, stonith, OrderFlags.RunnableLeft | OrderFlags.ImpliesThen);
        }
        else if (stop is not null)
        {
            ActionFactory.OrderActions(stop, stonith, OrderFlags.RunnableLeft | OrderFlags.ImpliesThen);
        }
        else
        {
            stop = ActionFactory.FindFirstAction(node.Details.RemoteRsc!.Actions, null, ActionFactory.Stop, null);
            if (stop is not null)
            {
                ActionFactory.OrderActions(stop, stonith, OrderFlags.Optional);
            }
        }
        OrderVsFence(ws, stonith);
    }
}
