using Tandem.Model.Resources;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Graph;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Ordering;

/// <summary>
/// Creates ordering constraints and, once actions exist, turns them into links between actions
/// (pcmk__apply_orderings), then propagates required/runnable flags along the links.
/// </summary>
internal static class Orderings
{
    /// <summary>Creates an ordering (pcmk__new_ordering); each side is an action or a resource and action key.</summary>
    public static void New(WorkingSet ws, Resource? firstRsc, string? firstTask, SchedAction? firstAction,
                           Resource? thenRsc, string? thenTask, SchedAction? thenAction, OrderFlags flags)
    {
        if ((firstAction is null && firstRsc is null) || (thenAction is null && thenRsc is null))
        {
            return;
        }
        firstRsc ??= firstAction?.Rsc;
        thenRsc ??= thenAction?.Rsc;
        var order = new OrderingConstraint
        {
            Id = ws.NextOrderId++,
            Flags = flags,
            FirstRsc = firstRsc ?? firstAction?.Rsc,
            ThenRsc = thenRsc ?? thenAction?.Rsc,
            FirstAction = firstAction,
            ThenAction = thenAction,
            FirstTask = firstTask ?? firstAction?.Uuid,
            ThenTask = thenTask ?? thenAction?.Uuid,
        };
        ws.OrderingConstraints.Prepend(order);
        MigrationActions.OrderMigrationEquivalents(ws, order);
    }

    public static void OrderResourceActions(Resource first, string firstTask, Resource then, string thenTask, OrderFlags flags) =>
        New(first.Cluster, first, OpKeys.Key(first.Id, firstTask, 0), null, then, OpKeys.Key(then.Id, thenTask, 0), null, flags);

    public static void OrderStarts(Resource first, Resource then, OrderFlags flags) =>
        OrderResourceActions(first, ActionFactory.Start, then, ActionFactory.Start, flags);

    public static void OrderStops(Resource first, Resource then, OrderFlags flags) =>
        OrderResourceActions(first, ActionFactory.Stop, then, ActionFactory.Stop, flags);

    /// <summary>Turns every ordering constraint into action links, in creation order, then propagates flags.</summary>
    public static void Apply(WorkingSet ws)
    {
        var orders = ws.OrderingConstraints.Reverse().ToList();
        foreach (var order in orders)
        {
            if (order.FirstRsc is not null)
            {
                RscOrderFirst(ws, order.FirstRsc, order);
                continue;
            }
            if (order.ThenRsc is not null)
            {
                OrderResourceActionsAfter(ws, order.FirstAction, order.ThenRsc, order);
            }
            else
            {
                ActionFactory.OrderActions(order.FirstAction, order.ThenAction, order.Flags);
            }
        }
        foreach (var action in ws.Actions.ToList())
        {
            Colocations.BlockDependents(ws, action);
        }
        Probes.OrderProbes(ws);
        foreach (var action in ws.Actions.ToList())
        {
            ActionUpdates.UpdateActionForOrderings(ws, action);
        }
        DisableInvalidOrderings(ws);
    }

    private static List<SchedAction> FindActionsByTask(Resource rsc, string originalKey)
    {
        var list = ActionFactory.FindActions(rsc.Actions, originalKey, null);
        if (list.Count == 0 && OpKeys.TryParse(originalKey, out _, out var task, out var interval))
        {
            list = ActionFactory.FindActions(rsc.Actions, OpKeys.Key(rsc.Id, task, interval), null);
        }
        return list;
    }

    private static void OrderResourceActionsAfter(WorkingSet ws, SchedAction? firstAction, Resource rsc, OrderingConstraint order)
    {
        _ = ws;
        var flags = order.Flags;
        var thenActions = order.ThenAction is not null ? [order.ThenAction] : FindActionsByTask(rsc, order.ThenTask!);
        if (thenActions.Count == 0)
        {
            return;
        }
        if (firstAction is not null && ReferenceEquals(firstAction.Rsc, rsc) && firstAction.Is(ActionFlags.Dangle))
        {
            flags &= ~OrderFlags.ImpliesThen;
        }
        if (firstAction is null && (flags & OrderFlags.ImpliesThen) == 0)
        {
            return;
        }
        foreach (var then in thenActions)
        {
            if (firstAction is not null)
            {
                ActionFactory.OrderActions(firstAction, then, flags);
            }
            else
            {
                then.Clear(ActionFlags.Runnable);
            }
        }
    }

    private static void RscOrderFirst(WorkingSet ws, Resource firstRsc, OrderingConstraint order)
    {
        var firstAction = order.FirstAction;
        var thenRsc = order.ThenRsc;
        List<SchedAction> firstActions;
        if (firstAction is not null)
        {
            firstActions = [firstAction];
        }
        else
        {
            firstActions = FindActionsByTask(firstRsc, order.FirstTask!);
        }
        if (firstActions.Count == 0 && ReferenceEquals(firstRsc, thenRsc))
        {
            // Nothing to order.
        }
        else if (firstActions.Count == 0)
        {
            if (!OpKeys.TryParse(order.FirstTask!, out _, out var opType, out var interval))
            {
                return;
            }
            var key = OpKeys.Key(firstRsc.Id, opType, interval);
            var state = firstRsc.State(true);
            if (state == Role.Stopped && opType == ActionFactory.Stop)
            {
                // The resource is stopped already.
            }
            else if (state == Role.Unpromoted && opType == ActionFactory.Demote)
            {
                // The resource is not promoted.
            }
            else
            {
                firstActions = [ActionFactory.CustomAction(ws, firstRsc, key, opType, null, true, true)];
            }
        }
        if (thenRsc is null)
        {
            if (order.ThenAction is null)
            {
                return;
            }
            thenRsc = order.ThenAction.Rsc;
        }
        foreach (var first in firstActions)
        {
            if (thenRsc is null)
            {
                ActionFactory.OrderActions(first, order.ThenAction, order.Flags);
            }
            else
            {
                OrderResourceActionsAfter(ws, first, thenRsc, order);
            }
        }
    }

    private static void DisableInvalidOrderings(WorkingSet ws)
    {
        foreach (var action in ws.Actions)
        {
            foreach (var input in action.ActionsBefore)
            {
                if (IsInvalid(action, input))
                {
                    input.Type = OrderFlags.None;
                }
            }
        }
    }

    private static bool IsInvalid(SchedAction action, ActionWrapper input)
    {
        if ((input.Type & OrderFlags.Preserve) == 0 && input.Action.Rsc is not null && action.Rsc is not null
            && RemoteOrdering.CorrespondsToGuest(action.Rsc, input.Action.Node))
        {
            return true;
        }
        if (input.Type == OrderFlags.Load && action.Rsc is not null && action.Task == ActionFactory.MigrateTo
            && GraphBuilder.HasLoop(action, action, input))
        {
            return true;
        }
        return false;
    }

    /// <summary>Makes every stop on a node shutting down come before the shutdown.</summary>
    public static void OrderStopsBeforeShutdown(WorkingSet ws, Node node, SchedAction shutdown)
    {
        foreach (var action in ws.Actions.ToList())
        {
            if (action.Rsc is null || action.Node is null || !ReferenceEquals(action.Node.Details, node.Details)
                || action.Task != ActionFactory.Stop)
            {
                continue;
            }
            if (action.Rsc.Is(ResourceFlags.Maintenance) || node.Details.Maintenance)
            {
                continue;
            }
            if (!action.Rsc.IsAny(ResourceFlags.Managed | ResourceFlags.Block))
            {
                continue;
            }
            action.Clear(ActionFlags.Optional);
            New(ws, action.Rsc, null, action, null, ActionFactory.Shutdown, shutdown, OrderFlags.Optional | OrderFlags.RunnableLeft);
        }
    }

    public static void OrderAfterEach(SchedAction after, IEnumerable<SchedAction> list)
    {
        foreach (var before in list)
        {
            ActionFactory.OrderActions(before, after, OrderFlags.Optional);
        }
    }

    /// <summary>Orders a promotable clone's own pseudo-actions for restarts.</summary>
    public static void PromotableRestartOrdering(Resource rsc)
    {
        OrderResourceActions(rsc, ActionFactory.Stopped, rsc, ActionFactory.Start, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Stopped, rsc, ActionFactory.Promote, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Demoted, rsc, ActionFactory.Stop, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Demoted, rsc, ActionFactory.Start, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Demoted, rsc, ActionFactory.Promote, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Started, rsc, ActionFactory.Promote, OrderFlags.Optional);
        OrderResourceActions(rsc, ActionFactory.Demote, rsc, ActionFactory.Demoted, OrderFlags.Optional);
    }
}
