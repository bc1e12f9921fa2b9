using Tandem.Model.Resources;
using Tandem.Scheduler.Clones;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Probes: a one-time monitor on every online node where a resource's state is unknown, run before the
/// resource starts anywhere, and ordered before actions that depend on the answer.
/// </summary>
internal static class Probes
{
    public static void Schedule(WorkingSet ws)
    {
        foreach (var node in ws.Nodes)
        {
            if (!node.Details.Online)
            {
                continue;
            }
            if (node.Details.Unclean || !node.Details.RscDiscoveryEnabled)
            {
                continue;
            }
            var probed = node.Details.Attribute("probe_complete");
            if (probed is not null && !PcmkText.IsTrue(probed))
            {
                var probeOp = ActionFactory.CustomAction(ws, null, $"{ActionFactory.Reprobe}-{node.Uname}", ActionFactory.Reprobe, node, false, true);
                probeOp.Meta.TryAdd("op_no_wait", "true");
                continue;
            }
            ProbeResourceList(ws.Resources, node);
        }
    }

    public static bool ProbeResourceList(IEnumerable<Resource> resources, Node node)
    {
        var any = false;
        foreach (var rsc in resources.ToList())
        {
            if (CreateProbe(rsc, node))
            {
                any = true;
            }
        }
        return any;
    }

    /// <summary>Creates the probes a resource needs on a node (per resource kind).</summary>
    public static bool CreateProbe(Resource rsc, Node node)
    {
        if (rsc.Variant == ResourceVariant.Clone)
        {
            return CloneProbe(rsc, node);
        }
        return ProbeOnNode(rsc, node);
    }

    private static bool CloneProbe(Resource rsc, Node node)
    {
        rsc.Children = GList.Sort(rsc.Children, InstanceOrder.CompareNumber);
        if (rsc.Children.Count == 0)
        {
            return false;
        }
        if (rsc.ExclusiveDiscover)
        {
            var allowed = rsc.AllowedNodes.Get(node.Id);
            if (allowed is not null && allowed.DiscoverMode != DiscoverMode.Exclusive)
            {
                rsc.AllowedNodes.Remove(node.Id);
                return false;
            }
        }
        if (rsc.Is(ResourceFlags.Unique))
        {
            return ProbeResourceList(rsc.Children, node);
        }
        var child = FindInstanceOn(rsc, node);
        if (child is null)
        {
            foreach (var candidate in rsc.Children)
            {
                var local = candidate.Location(null, 0);
                if (local is not null && ReferenceEquals(local.Details, node.Details))
                {
                    child = candidate;
                    break;
                }
            }
        }
        child ??= rsc.Children[0];
        return CreateProbe(child, node);
    }

    private static Resource? FindInstanceOn(Resource clone, Node node)
    {
        foreach (var child in clone.Children)
        {
            if (KnownOn(child, node))
            {
                return child;
            }
        }
        return null;
    }

    private static bool KnownOn(Resource rsc, Node node)
    {
        if (rsc.Children.Count > 0)
        {
            return rsc.Children.Any(c => KnownOn(c, node));
        }
        return rsc.KnownOn.Values.Any(n => ReferenceEquals(n.Details, node.Details));
    }

    private static bool ProbeOnNode(Resource rsc, Node node)
    {
        var ws = rsc.Cluster;
        var top = rsc.Top;
        if (!ws.Is(ClusterFlags.StartupProbes))
        {
            return false;
        }
        if (node.Details.IsRemoteOrGuest)
        {
            if (rsc.Definition.Class == "stonith")
            {
                return false;
            }
            if (node.Details.IsGuest && RemoteOrdering.GuestConnectionFor(ws, rsc) is not null)
            {
                return false;
            }
            if (rsc.IsRemoteNode)
            {
                return false;
            }
        }
        if (rsc.Children.Count > 0)
        {
            return ProbeResourceList(rsc.Children, node);
        }
        if (rsc.Container is not null && !rsc.IsRemoteNode)
        {
            return false;
        }
        if (rsc.Is(ResourceFlags.Orphan))
        {
            return false;
        }
        if (rsc.KnownOn.Get(node.Id) is not null)
        {
            return false;
        }
        var allowed = rsc.AllowedNodes.Get(node.Id);
        if (rsc.ExclusiveDiscover || top.ExclusiveDiscover)
        {
            if (allowed is null || allowed.DiscoverMode != DiscoverMode.Exclusive)
            {
                return false;
            }
        }
        allowed ??= node;
        if (allowed.DiscoverMode == DiscoverMode.Never)
        {
            return false;
        }
        if (node.Details.IsGuest)
        {
            var guest = node.Details.RemoteRsc!.Container!;
            if (guest.Role == Role.Stopped)
            {
                ProbeThenStart(guest, top);
                return false;
            }
            if (GuestResourceWillStop(node))
            {
                Orderings.New(ws, guest, OpKeys.Key(guest.Id, ActionFactory.Stop, 0), null, top, OpKeys.Key(top.Id, ActionFactory.Start, 0), null, OrderFlags.Optional);
                return false;
            }
        }
        var probe = ProbeAction(rsc, node);
        if ((rsc.Is(ResourceFlags.FenceDevice) && ws.Is(ClusterFlags.EnableUnfencing)) || !top.IsClone)
        {
            top = rsc;
        }
        var flags = OrderFlags.Optional;
        if (!probe.Is(ActionFlags.Runnable) && rsc.RunningOn.Count == 0)
        {
            flags |= OrderFlags.RunnableLeft;
        }
        Orderings.New(ws, rsc, null, probe, top, OpKeys.Key(top.Id, ActionFactory.Start, 0), null, flags);
        Orderings.New(ws, rsc, null, probe, top, ActionFactory.ReloadKey(rsc), null, OrderFlags.Optional);
        return true;
    }

    private static void ProbeThenStart(Resource rsc1, Resource rsc2)
    {
        if (rsc1.AllocatedTo is not null && rsc1.KnownOn.Get(rsc1.AllocatedTo.Id) is null)
        {
            Orderings.New(rsc1.Cluster, rsc1, OpKeys.Key(rsc1.Id, ActionFactory.Monitor, 0), null, rsc2, OpKeys.Key(rsc2.Id, ActionFactory.Start, 0), null, OrderFlags.Optional);
        }
    }

    private static bool GuestResourceWillStop(Node node)
    {
        var guest = node.Details.RemoteRsc!.Container!;
        return node.Details.RemoteRequiresReset || node.Details.Unclean || guest.Is(ResourceFlags.Failed)
               || guest.NextRole == Role.Stopped
               || (guest.Role > Role.Stopped && guest.AllocatedTo is not null
                   && !guest.RunningOn.Any(n => string.Equals(n.Uname, guest.AllocatedTo.Uname, StringComparison.OrdinalIgnoreCase)));
    }

    private static SchedAction ProbeAction(Resource rsc, Node node)
    {
        var probe = ActionFactory.CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, ActionFactory.Monitor, 0), ActionFactory.Monitor, node, false, true);
        probe.Clear(ActionFlags.Optional);
        Fencing.OrderVsUnfence(rsc, node, probe, OrderFlags.Optional);
        var running = rsc.RunningOn.Any(n => string.Equals(n.Id, node.Id, StringComparison.OrdinalIgnoreCase));
        if (!running)
        {
            ActionFactory.AddExpectedResult(probe, ExecStatus.OcfNotRunning);
        }
        else if (rsc.Role == Role.Promoted)
        {
            ActionFactory.AddExpectedResult(probe, ExecStatus.OcfRunningPromoted);
        }
        return probe;
    }

    /// <summary>Adds probe orderings: probe before restarts it could influence, and before stops elsewhere.</summary>
    public static void OrderProbes(WorkingSet ws)
    {
        foreach (var rsc in ws.Resources.ToList())
        {
            AddRestartOrderingsForRsc(ws, rsc);
        }
        AddProbeOrderingsForStops(ws);
    }

    private static bool ProbeNeededBeforeAction(SchedAction probe, SchedAction then)
    {
        if (then.Task == ActionFactory.Fence && probe.Node is not null && then.Node is not null
            && ReferenceEquals(probe.Node.Details, then.Node.Details)
            && string.Equals(then.Meta.GetValueOrDefault("stonith_action"), "on", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (then.Task == ActionFactory.Shutdown && probe.Node is not null && then.Node is not null
            && !ReferenceEquals(probe.Node.Details, then.Node.Details))
        {
            return false;
        }
        return true;
    }

    private static void AddProbeOrderingsForStops(WorkingSet ws)
    {
        foreach (var order in ws.OrderingConstraints.ToList())
        {
            if (order.Flags == OrderFlags.None)
            {
                continue;
            }
            if (order.FirstRsc is null || ReferenceEquals(order.FirstRsc, order.ThenRsc))
            {
                continue;
            }
            if ((order.FirstAction is null && order.FirstTask is null) || (order.ThenAction is null && order.ThenTask is null))
            {
                continue;
            }
            if (order.FirstAction is not null && order.FirstAction.Task != ActionFactory.Stop)
            {
                continue;
            }
            if (order.FirstAction is null && !order.FirstTask!.EndsWith("_stop_0", StringComparison.Ordinal))
            {
                continue;
            }
            if (order.ThenRsc is not null && ReferenceEquals(order.FirstRsc.Container, order.ThenRsc))
            {
                if (order.ThenAction is not null && order.ThenAction.Task == ActionFactory.Stop)
                {
                    continue;
                }
                if (order.ThenAction is null && order.ThenTask!.EndsWith("_stop_0", StringComparison.Ordinal))
                {
                    continue;
                }
            }
            var orderFlags = OrderFlags.Optional;
            if ((order.Flags & OrderFlags.ApplyFirstNonMigratable) != 0)
            {
                orderFlags |= OrderFlags.ApplyFirstNonMigratable;
            }
            if ((order.Flags & OrderFlags.SameNode) != 0)
            {
                orderFlags |= OrderFlags.SameNode;
            }
            if (order.Flags is OrderFlags.AntiColocation or OrderFlags.Load)
            {
                orderFlags = order.Flags;
            }
            var probes = ActionFactory.ResourceActions(order.FirstRsc, null, ActionFactory.Monitor, false);
            if (probes.Count == 0)
            {
                continue;
            }
            List<SchedAction> thenActions;
            if (order.ThenAction is not null)
            {
                thenActions = [order.ThenAction];
            }
            else if (order.ThenRsc is not null)
            {
                thenActions = ActionFactory.FindActions(order.ThenRsc.Actions, order.ThenTask!, null);
                if (thenActions.Count == 0)
                {
                    continue;
                }
            }
            else
            {
                thenActions = [];
            }
            foreach (var probe in probes)
            {
                foreach (var then in thenActions)
                {
                    if (ProbeNeededBeforeAction(probe, then))
                    {
                        ActionFactory.OrderActions(probe, then, orderFlags);
                    }
                }
            }
        }
    }

    private static void AddRestartOrderingsForRsc(WorkingSet ws, Resource rsc)
    {
        if (rsc.Variant != ResourceVariant.Primitive)
        {
            foreach (var child in rsc.Children.ToList())
            {
                AddRestartOrderingsForRsc(ws, child);
            }
            return;
        }
        foreach (var probe in ActionFactory.ResourceActions(rsc, null, ActionFactory.Monitor, false))
        {
            foreach (var then in probe.ActionsAfter.ToList())
            {
                AddRestartOrderingsForProbe(probe, then.Action);
                foreach (var action in ws.Actions)
                {
                    action.Clear(ActionFlags.Tracking);
                }
            }
        }
    }

    private static void AddRestartOrderingsForProbe(SchedAction probe, SchedAction after)
    {
        if (probe.Rsc is null || probe.Rsc.Variant != ResourceVariant.Primitive || probe.Task != ActionFactory.Monitor)
        {
            return;
        }
        if (after.Is(ActionFlags.Tracking))
        {
            return;
        }
        after.Set(ActionFlags.Tracking);
        if (after.Rsc is not null && after.Rsc.Variant == ResourceVariant.Primitive && !ReferenceEquals(probe.Rsc, after.Rsc))
        {
            var thenActions = new List<SchedAction>();
            if (after.Task == ActionFactory.Start)
            {
                thenActions = ActionFactory.ResourceActions(after.Rsc, null, ActionFactory.Stop, false);
            }
            else if (after.Task == ActionFactory.Promote)
            {
                thenActions = ActionFactory.ResourceActions(after.Rsc, null, ActionFactory.Demote, false);
            }
            foreach (var then in thenActions)
            {
                if (!then.Is(ActionFlags.Pseudo))
                {
                    ActionFactory.OrderActions(probe, then, OrderFlags.Optional);
                }
            }
        }
        var interleave = false;
        Resource? compatible = null;
        if (after.Rsc is not null && after.Rsc.Variant > ResourceVariant.Group)
        {
            interleave = PcmkText.IsTrue(after.Rsc.Meta.GetValueOrDefault("interleave"));
            if (interleave)
            {
                compatible = CloneAssignment.FindCompatibleChild(probe.Rsc, after.Rsc, Role.Unknown, current: false);
            }
        }
        foreach (var afterWrapper in after.ActionsAfter.ToList())
        {
            if ((afterWrapper.Type & OrderFlags.ImpliesThen) == 0)
            {
                if (after.Rsc is null || after.Rsc.Variant < ResourceVariant.Group || ReferenceEquals(probe.Rsc.Parent, after.Rsc)
                    || afterWrapper.Action.Rsc is null || afterWrapper.Action.Rsc.Variant > ResourceVariant.Group
                    || !ReferenceEquals(after.Rsc, afterWrapper.Action.Rsc.Parent))
                {
                    continue;
                }
                if (after.Rsc.Variant > ResourceVariant.Group && interleave
                    && (compatible is null || !ReferenceEquals(compatible, afterWrapper.Action.Rsc)))
                {
                    continue;
                }
            }
            AddRestartOrderingsForProbe(probe, afterWrapper.Action);
        }
    }
}
