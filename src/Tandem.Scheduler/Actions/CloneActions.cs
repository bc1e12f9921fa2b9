using Tandem.Scheduler.Clones;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// A clone's actions: each instance's own, plus the clone's start/running, stop/stopped (and for
/// promotable clones promote/promoted, demote/demoted) pseudo-actions that bracket them.
/// </summary>
internal static class CloneActions
{
    public static void Create(Resource rsc)
    {
        var clone = rsc.Clone!;
        CreatePseudoActions(rsc, rsc.Children, clone);
        ChildOrderingConstraints(rsc);
        if (rsc.Is(ResourceFlags.Promotable))
        {
            CreatePromotableActions(rsc);
        }
    }

    private static void UpdatePseudoStatus(Resource rsc, ref bool stopping, ref bool starting, ref bool active)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                UpdatePseudoStatus(child, ref stopping, ref starting, ref active);
            }
            return;
        }
        if (rsc.RunningOn.Count > 0)
        {
            active = true;
        }
        foreach (var action in rsc.Actions)
        {
            if (starting && stopping)
            {
                return;
            }
            if (action.Is(ActionFlags.Optional))
            {
                continue;
            }
            if (!action.IsAny(ActionFlags.Pseudo | ActionFlags.Runnable))
            {
                continue;
            }
            if (action.Task == ActionFactory.Stop)
            {
                stopping = true;
            }
            else if (action.Task == ActionFactory.Start && action.Is(ActionFlags.Runnable))
            {
                starting = true;
            }
        }
    }

    private static void CreatePseudoActions(Resource rsc, List<Resource> children, CloneData clone)
    {
        var childActive = false;
        var childStarting = false;
        var childStopping = false;
        var allowDependentMigrations = true;
        foreach (var child in children.ToList())
        {
            var starting = false;
            var stopping = false;
            ResourceActions.CreateActions(child);
            UpdatePseudoStatus(child, ref stopping, ref starting, ref childActive);
            if (stopping && starting)
            {
                allowDependentMigrations = false;
            }
            childStopping |= stopping;
            childStarting |= starting;
        }
        var start = ActionFactory.NewRscPseudoAction(rsc, ActionFactory.Start, !childStarting, true);
        var started = ActionFactory.NewRscPseudoAction(rsc, ActionFactory.Started, !childStarting, false);
        started.Priority = Scores.Infinity;
        if (childActive || childStarting)
        {
            started.Set(ActionFlags.Runnable);
        }
        clone.StartNotify ??= Notifications.CreatePseudoOps(rsc, ActionFactory.Start, start, started);
        var stop = ActionFactory.NewRscPseudoAction(rsc, ActionFactory.Stop, !childStopping, true);
        var stopped = ActionFactory.NewRscPseudoAction(rsc, ActionFactory.Stopped, !childStopping, true);
        stopped.Priority = Scores.Infinity;
        if (allowDependentMigrations)
        {
            stop.Set(ActionFlags.MigrateRunnable);
        }
        if (clone.StopNotify is null)
        {
            clone.StopNotify = Notifications.CreatePseudoOps(rsc, ActionFactory.Stop, stop, stopped);
            if (clone.StartNotify is not null && clone.StopNotify is not null)
            {
                ActionFactory.OrderActions(clone.StopNotify.PostDone, clone.StartNotify.Pre, OrderFlags.Optional);
            }
        }
    }

    private static SchedAction? FindRscAction(Resource rsc, string task)
    {
        SchedAction? match = null;
        foreach (var op in ActionFactory.ResourceActions(rsc, null, task, false))
        {
            if (!op.Is(ActionFlags.Optional))
            {
                if (match is not null)
                {
                    return null;
                }
                match = op;
            }
        }
        return match;
    }

    private static void ChildOrderingConstraints(Resource rsc)
    {
        if (!rsc.Clone!.Ordered)
        {
            return;
        }
        rsc.Children = GList.Sort(rsc.Children, InstanceOrder.CompareNumber);
        SchedAction? lastStop = null;
        SchedAction? lastStart = null;
        foreach (var child in rsc.Children)
        {
            var stop = FindRscAction(child, ActionFactory.Stop);
            if (stop is not null)
            {
                if (lastStop is not null)
                {
                    ActionFactory.OrderActions(stop, lastStop, OrderFlags.Optional);
                }
                lastStop = stop;
            }
            var start = FindRscAction(child, ActionFactory.Start);
            if (start is not null)
            {
                if (lastStart is not null)
                {
                    ActionFactory.OrderActions(lastStart, start, OrderFlags.Optional);
                }
                lastStart = start;
            }
        }
    }

    private static void CheckForRoleChange(Resource rsc, ref bool demoting, ref bool promoting)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                CheckForRoleChange(child, ref demoting, ref promoting);
            }
            return;
        }
        foreach (var action in rsc.Actions)
        {
            if (promoting && demoting)
            {
                return;
            }
            if (action.Is(ActionFlags.Optional))
            {
                continue;
            }
            if (action.Task == ActionFactory.Demote)
            {
                demoting = true;
            }
            else if (action.Task == ActionFactory.Promote)
            {
                promoting = true;
            }
        }
    }

    private static void CreatePromotableActions(Resource clone)
    {
        var anyPromoting = false;
        var anyDemoting = false;
        foreach (var instance in clone.Children.ToList())
        {
            ResourceActions.CreateActions(instance);
            CheckForRoleChange(instance, ref anyDemoting, ref anyPromoting);
        }
        var data = clone.Clone!;
        var promote = ActionFactory.NewRscPseudoAction(clone, ActionFactory.Promote, !anyPromoting, true);
        var promoted = ActionFactory.NewRscPseudoAction(clone, ActionFactory.Promoted, !anyPromoting, true);
        promoted.Priority = Scores.Infinity;
        data.PromoteNotify ??= Notifications.CreatePseudoOps(clone, ActionFactory.Promote, promote, promoted);
        var demote = ActionFactory.NewRscPseudoAction(clone, ActionFactory.Demote, !anyDemoting, true);
        var demoted = ActionFactory.NewRscPseudoAction(clone, ActionFactory.Demoted, !anyDemoting, true);
        demoted.Priority = Scores.Infinity;
        if (data.DemoteNotify is null)
        {
            data.DemoteNotify = Notifications.CreatePseudoOps(clone, ActionFactory.Demote, demote, demoted);
            if (data.PromoteNotify is not null)
            {
                ActionFactory.OrderActions(data.StopNotify!.PostDone, data.PromoteNotify.Pre, OrderFlags.Optional);
                ActionFactory.OrderActions(data.StartNotify!.PostDone, data.PromoteNotify.Pre, OrderFlags.Optional);
                ActionFactory.OrderActions(data.DemoteNotify!.PostDone, data.PromoteNotify.Pre, OrderFlags.Optional);
                ActionFactory.OrderActions(data.DemoteNotify.PostDone, data.StartNotify.Pre, OrderFlags.Optional);
                ActionFactory.OrderActions(data.DemoteNotify.PostDone, data.StopNotify.Pre, OrderFlags.Optional);
            }
        }
        foreach (var instance in clone.Children)
        {
            instance.Priority = clone.Priority;
        }
    }

    public static void InternalConstraints(Resource rsc)
    {
        var ordered = rsc.Clone!.Ordered;
        Orderings.OrderResourceActions(rsc, ActionFactory.Stopped, rsc, ActionFactory.Start, OrderFlags.Optional);
        Orderings.OrderResourceActions(rsc, ActionFactory.Start, rsc, ActionFactory.Started, OrderFlags.RunnableLeft);
        Orderings.OrderResourceActions(rsc, ActionFactory.Stop, rsc, ActionFactory.Stopped, OrderFlags.RunnableLeft);
        if (rsc.Is(ResourceFlags.Promotable))
        {
            Orderings.OrderResourceActions(rsc, ActionFactory.Demoted, rsc, ActionFactory.Stop, OrderFlags.Optional);
            Orderings.OrderResourceActions(rsc, ActionFactory.Started, rsc, ActionFactory.Promote, OrderFlags.RunnableLeft);
        }
        if (ordered)
        {
            rsc.Children = GList.Sort(rsc.Children, InstanceOrder.CompareNumber);
        }
        Resource? last = null;
        foreach (var child in rsc.Children)
        {
            ResourceActions.InternalConstraints(child);
            Orderings.OrderStarts(rsc, child, OrderFlags.RunnableLeft | OrderFlags.ImpliesFirstPrinted);
            Orderings.OrderResourceActions(child, ActionFactory.Start, rsc, ActionFactory.Started, OrderFlags.ImpliesThenPrinted);
            if (ordered && last is not null)
            {
                Orderings.OrderStarts(last, child, OrderFlags.Optional);
            }
            Orderings.OrderStops(rsc, child, OrderFlags.ImpliesFirstPrinted);
            Orderings.OrderResourceActions(child, ActionFactory.Stop, rsc, ActionFactory.Stopped, OrderFlags.ImpliesThenPrinted);
            if (ordered && last is not null)
            {
                Orderings.OrderStops(child, last, OrderFlags.Optional);
            }
            last = child;
        }
        if (rsc.Is(ResourceFlags.Promotable))
        {
            OrderPromotableInstances(rsc);
        }
    }

    private static void OrderPromotableInstances(Resource clone)
    {
        Resource? previous = null;
        Orderings.PromotableRestartOrdering(clone);
        foreach (var instance in clone.Children)
        {
            Orderings.OrderResourceActions(instance, ActionFactory.Demote, instance, ActionFactory.Promote, OrderFlags.Optional);
            Orderings.OrderResourceActions(clone, ActionFactory.Promote, instance, ActionFactory.Promote, OrderFlags.Optional);
            Orderings.OrderResourceActions(instance, ActionFactory.Promote, clone, ActionFactory.Promoted, OrderFlags.Optional);
            if (previous is not null && clone.Clone!.Ordered)
            {
                Orderings.OrderResourceActions(previous, ActionFactory.Promote, instance, ActionFactory.Promote, OrderFlags.Optional);
            }
            Orderings.OrderResourceActions(clone, ActionFactory.Demote, instance, ActionFactory.Demote, OrderFlags.ImpliesFirstPrinted);
            Orderings.OrderResourceActions(instance, ActionFactory.Demote, clone, ActionFactory.Demoted, OrderFlags.ImpliesThenPrinted);
            if (previous is not null && clone.Clone!.Ordered)
            {
                Orderings.OrderResourceActions(instance, ActionFactory.Demote, previous, ActionFactory.Demote, OrderFlags.Optional);
            }
            previous = instance;
        }
    }
}
