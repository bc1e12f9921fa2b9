using Tandem.Model.Resources;
using Tandem.Scheduler.Clones;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Propagates "required" and "runnable" along orderings until nothing changes
/// (pcmk__update_action_for_orderings): a required first makes a then required, an unrunnable first
/// makes a then unrunnable, a required then makes a first required, and so on, with the special
/// rules for restarts, migrations, clones (interleaving) and one-of-many inputs.
/// </summary>
internal static class ActionUpdates
{
    [Flags]
    private enum Updated
    {
        None = 0,
        First = 1,
        Then = 2,
    }

    public static void UpdateActionForOrderings(WorkingSet ws, SchedAction then)
    {
        var changed = Updated.None;
        var lastFlags = then.Flags;
        if (then.Is(ActionFlags.RequiresAny))
        {
            then.RunnableBefore = 0;
            if (then.RequiredRunnableBefore == 0)
            {
                then.RequiredRunnableBefore = 1;
            }
            then.Clear(ActionFlags.Runnable);
        }
        foreach (var other in then.ActionsBefore.ToList())
        {
            var first = other.Action;
            var thenNode = then.Node;
            var firstNode = first.Node;
            if (first.Rsc is not null && first.Rsc.Variant == ResourceVariant.Group && first.Task == ActionFactory.Start)
            {
                firstNode = first.Rsc.Location(null, 0);
            }
            if (then.Rsc is not null && then.Rsc.Variant == ResourceVariant.Group && then.Task == ActionFactory.Start)
            {
                thenNode = then.Rsc.Location(null, 0);
            }
            if ((other.Type & OrderFlags.SameNode) != 0 && firstNode is not null && thenNode is not null
                && !ReferenceEquals(firstNode.Details, thenNode.Details))
            {
                other.Type = OrderFlags.None;
                continue;
            }
            changed &= ~Updated.First;
            if (first.Rsc is not null && (other.Type & OrderFlags.ThenCancelsFirst) != 0 && !then.Is(ActionFlags.Optional))
            {
                other.Action.Set(ActionFlags.Optional);
                if (first.Task == ActionFactory.ReloadAgent)
                {
                    first.Rsc.Clear(ResourceFlags.Reload);
                }
            }
            if (first.Rsc is not null && then.Rsc is not null && !ReferenceEquals(first.Rsc, then.Rsc) && !first.Rsc.IsAncestorOf(then.Rsc))
            {
                first = ActionForOrdering(first);
            }
            if (ReferenceEquals(first, other.Action))
            {
                var firstFlags = ActionFlagsForOrdering(first, thenNode);
                var thenFlags = ActionFlagsForOrdering(then, firstNode);
                changed |= UpdateForOrderingFlags(ws, first, then, firstFlags, thenFlags, other);
            }
            else if (ActionFactory.OrderActions(first, then, other.Type))
            {
                changed |= Updated.Then;
                other.Type = OrderFlags.None;
            }
            else
            {
                other.Type = OrderFlags.None;
            }
            if ((changed & Updated.First) != 0)
            {
                foreach (var after in first.ActionsAfter.ToList())
                {
                    UpdateActionForOrderings(ws, after.Action);
                }
                UpdateActionForOrderings(ws, first);
            }
        }
        if (then.Is(ActionFlags.RequiresAny))
        {
            if (lastFlags == then.Flags)
            {
                changed &= ~Updated.Then;
            }
            else
            {
                changed |= Updated.Then;
            }
        }
        if ((changed & Updated.Then) != 0)
        {
            if ((lastFlags & ActionFlags.Runnable) != 0 && !then.Is(ActionFlags.Runnable))
            {
                Colocations.BlockDependents(ws, then);
            }
            UpdateActionForOrderings(ws, then);
            foreach (var after in then.ActionsAfter.ToList())
            {
                UpdateActionForOrderings(ws, after.Action);
            }
        }
    }

    /// <summary>For a collective resource, orders against its completion pseudo-action (start → running).</summary>
    private static SchedAction ActionForOrdering(SchedAction action)
    {
        var rsc = action.Rsc;
        if (rsc is null || rsc.Variant < ResourceVariant.Group)
        {
            return action;
        }
        var uuid = UuidForOrdering(action.Uuid, rsc);
        return ActionFactory.FindFirstAction(rsc.Actions, uuid, null, null) ?? action;
    }

    private static string UuidForOrdering(string firstUuid, Resource firstRsc)
    {
        if (firstUuid.Contains("notify", StringComparison.Ordinal) || firstRsc.Variant < ResourceVariant.Group)
        {
            return firstUuid;
        }
        if (!OpKeys.TryParse(firstUuid, out var rid, out var taskText, out var interval) || interval > 0)
        {
            return firstUuid;
        }
        var task = ActionFactory.ToKind(taskText);
        TaskKind remapped;
        switch (task)
        {
            case TaskKind.Stop:
            case TaskKind.Start:
            case TaskKind.Notify:
            case TaskKind.Promote:
            case TaskKind.Demote:
                remapped = task + 1;
                break;
            case TaskKind.Stopped:
            case TaskKind.Started:
            case TaskKind.Notified:
            case TaskKind.Promoted:
            case TaskKind.Demoted:
                remapped = task;
                break;
            default:
                return firstUuid;
        }
        if (firstRsc.Is(ResourceFlags.Notify) && firstRsc.Parent is null)
        {
            return OpKeys.NotifyKey(rid, "confirmed-post", ActionFactory.ToText(remapped));
        }
        return OpKeys.Key(rid, ActionFactory.ToText(remapped), 0);
    }

    private static ActionFlags ActionFlagsForOrdering(SchedAction action, Node? node)
    {
        if (action.Rsc is null)
        {
            return action.Flags;
        }
        var flags = Flags(action, null);
        if (node is null || !action.Rsc.IsClone)
        {
            return flags;
        }
        var runnable = (flags & ActionFlags.Runnable) != 0;
        flags = Flags(action, node);
        if (runnable && (flags & ActionFlags.Runnable) == 0)
        {
            flags |= ActionFlags.Runnable;
        }
        return flags;
    }

    /// <summary>An action's flags as its resource kind sees them (groups and clones summarize their members).</summary>
    public static ActionFlags Flags(SchedAction action, Node? node) => action.Rsc!.Variant switch
    {
        ResourceVariant.Group => GroupFlags(action, node),
        ResourceVariant.Clone => SummaryFlags(action, action.Rsc.Children, node),
        _ => action.Flags,
    };

    private static ActionFlags GroupFlags(SchedAction action, Node? node)
    {
        var flags = ActionFlags.Optional | ActionFlags.Runnable | ActionFlags.Pseudo;
        foreach (var member in action.Rsc!.Children)
        {
            var task = ActionFactory.ComplexTask(member, action.Task, true);
            var taskText = ActionFactory.ToText(task);
            var memberAction = ActionFactory.FindFirstAction(member.Actions, null, taskText, node?.Details);
            if (memberAction is not null)
            {
                var memberFlags = Flags(memberAction, node);
                if ((flags & ActionFlags.Optional) != 0 && (memberFlags & ActionFlags.Optional) == 0)
                {
                    flags &= ~ActionFlags.Optional;
                    action.Clear(ActionFlags.Optional);
                }
                if (taskText != action.Task && (flags & ActionFlags.Runnable) != 0 && (memberFlags & ActionFlags.Runnable) == 0)
                {
                    flags &= ~ActionFlags.Runnable;
                    action.Clear(ActionFlags.Runnable);
                }
            }
            else if (task != TaskKind.Stop && task != TaskKind.Demote)
            {
                flags &= ~ActionFlags.Runnable;
            }
        }
        return flags;
    }

    /// <summary>The task a clone's member performs for a clone action, looking through notifications.</summary>
    public static TaskKind CloneChildAction(SchedAction action)
    {
        var child = action.Rsc!.Children[0];
        if (action.Task is ActionFactory.Notify or ActionFactory.Notified)
        {
            var key = action.Uuid;
            var stop = 0;
            for (var i = key.Length - 1; i > 0; i--)
            {
                if (key[i] == '_' && stop == 0)
                {
                    stop = i;
                }
                else if (key[i] == '_')
                {
                    i++;
                    return ActionFactory.ComplexTask(child, key[i..stop], true);
                }
            }
            return TaskKind.NoAction;
        }
        return ActionFactory.ComplexTask(child, action.Task, true);
    }

    public static ActionFlags SummaryFlags(SchedAction action, List<Resource> children, Node? node)
    {
        var anyRunnable = false;
        var task = CloneChildAction(action);
        var flags = ActionFlags.Optional | ActionFlags.Runnable | ActionFlags.Pseudo;
        var taskText = ActionFactory.ToText(task);
        foreach (var child in children)
        {
            var childAction = ActionFactory.FindFirstAction(child.Actions, null, taskText, child.Children.Count > 0 ? null : node?.Details);
            if (childAction is null)
            {
                continue;
            }
            var childFlags = Flags(childAction, node);
            if ((flags & ActionFlags.Optional) != 0 && (childFlags & ActionFlags.Optional) == 0)
            {
                flags &= ~ActionFlags.Optional;
                action.Clear(ActionFlags.Optional);
            }
            if ((childFlags & ActionFlags.Runnable) != 0)
            {
                anyRunnable = true;
            }
        }
        if (!anyRunnable)
        {
            flags &= ~ActionFlags.Runnable;
            if (node is null)
            {
                action.Clear(ActionFlags.Runnable);
            }
        }
        return flags;
    }

    private static Updated UpdateForOrderingFlags(WorkingSet ws, SchedAction first, SchedAction then, ActionFlags firstFlags,
                                                  ActionFlags thenFlags, ActionWrapper order)
    {
        var changed = Updated.None;
        var node = then.Node;
        if ((order.Type & OrderFlags.ImpliesThenOnNode) != 0)
        {
            order.Type &= ~OrderFlags.ImpliesThenOnNode;
            order.Type |= OrderFlags.ImpliesThen;
            node = first.Node;
        }
        if ((order.Type & OrderFlags.ImpliesThen) != 0)
        {
            if (then.Rsc is not null)
            {
                changed |= UpdateOrderedActions(ws, first, then, node, firstFlags & ActionFlags.Optional, ActionFlags.Optional, OrderFlags.ImpliesThen);
            }
            else if ((firstFlags & ActionFlags.Optional) == 0 && then.Is(ActionFlags.Optional))
            {
                then.Clear(ActionFlags.Optional);
                changed |= Updated.Then;
            }
        }
        if ((order.Type & OrderFlags.Restart) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Optional | ActionFlags.Runnable, OrderFlags.Restart);
        }
        if ((order.Type & OrderFlags.ImpliesFirst) != 0)
        {
            if (first.Rsc is not null)
            {
                changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Optional, OrderFlags.ImpliesFirst, first.Rsc);
            }
            else if ((firstFlags & ActionFlags.Optional) == 0 && first.Is(ActionFlags.Runnable))
            {
                first.Clear(ActionFlags.Runnable);
                changed |= Updated.First;
            }
        }
        if ((order.Type & OrderFlags.PromotedImpliesFirst) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags & ActionFlags.Optional, ActionFlags.Optional, OrderFlags.PromotedImpliesFirst);
        }
        if ((order.Type & OrderFlags.OneOrMore) != 0)
        {
            if (then.Rsc is not null)
            {
                changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Runnable, OrderFlags.OneOrMore);
            }
            else if ((firstFlags & ActionFlags.Runnable) != 0)
            {
                then.RunnableBefore++;
                if (then.RunnableBefore >= then.RequiredRunnableBefore && !then.Is(ActionFlags.Runnable))
                {
                    then.Set(ActionFlags.Runnable);
                    changed |= Updated.Then;
                }
            }
        }
        if ((order.Type & OrderFlags.Probe) != 0 && then.Rsc is not null)
        {
            if ((firstFlags & ActionFlags.Runnable) == 0 && first.Rsc!.RunningOn.Count > 0)
            {
                order.Type = OrderFlags.None;
            }
            else
            {
                changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Runnable, OrderFlags.RunnableLeft);
            }
        }
        if ((order.Type & OrderFlags.RunnableLeft) != 0)
        {
            if (then.Rsc is not null)
            {
                changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Runnable, OrderFlags.RunnableLeft);
            }
            else if ((firstFlags & ActionFlags.Runnable) == 0 && then.Is(ActionFlags.Runnable))
            {
                then.Clear(ActionFlags.Runnable);
                changed |= Updated.Then;
            }
        }
        if ((order.Type & OrderFlags.ImpliesFirstMigratable) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Optional, OrderFlags.ImpliesFirstMigratable);
        }
        if ((order.Type & OrderFlags.PseudoLeft) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Optional, OrderFlags.PseudoLeft);
        }
        if ((order.Type & OrderFlags.Optional) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Runnable, OrderFlags.Optional);
        }
        if ((order.Type & OrderFlags.Asymmetrical) != 0 && then.Rsc is not null)
        {
            changed |= UpdateOrderedActions(ws, first, then, node, firstFlags, ActionFlags.Runnable, OrderFlags.Asymmetrical);
        }
        if (first.Is(ActionFlags.Runnable) && (order.Type & OrderFlags.ImpliesThenPrinted) != 0 && (firstFlags & ActionFlags.Optional) == 0)
        {
            then.Set(ActionFlags.PrintAlways);
        }
        if ((order.Type & OrderFlags.ImpliesFirstPrinted) != 0 && (thenFlags & ActionFlags.Optional) == 0)
        {
            first.Set(ActionFlags.PrintAlways);
        }
        if ((order.Type & (OrderFlags.ImpliesThen | OrderFlags.ImpliesFirst | OrderFlags.Restart)) != 0
            && first.Rsc is not null && !first.Rsc.Is(ResourceFlags.Managed) && first.Rsc.Is(ResourceFlags.Block)
            && !first.Is(ActionFlags.Runnable) && first.Task == ActionFactory.Stop)
        {
            if (then.Is(ActionFlags.Runnable))
            {
                then.Clear(ActionFlags.Runnable);
                changed |= Updated.Then;
            }
        }
        return changed;
    }

    /// <summary>Dispatches on the then-action's resource kind (update_ordered_actions method).</summary>
    private static Updated UpdateOrderedActions(WorkingSet ws, SchedAction first, SchedAction then, Node? node, ActionFlags flags,
                                                ActionFlags filter, OrderFlags type, Resource? dispatch = null)
    {
        return (dispatch ?? then.Rsc!).Variant switch
        {
            ResourceVariant.Group => UpdateGroupOrdered(ws, first, then, node, flags, filter, type),
            ResourceVariant.Clone => UpdateCloneOrdered(ws, first, then, node, flags, filter, type),
            _ => UpdatePrimitiveOrdered(ws, first, then, node, flags, filter, type),
        };
    }

    private static Updated UpdateGroupOrdered(WorkingSet ws, SchedAction first, SchedAction then, Node? node, ActionFlags flags,
                                              ActionFlags filter, OrderFlags type)
    {
        var changed = UpdatePrimitiveOrdered(ws, first, then, node, flags, filter, type);
        foreach (var member in then.Rsc?.Children ?? [])
        {
            var memberAction = ActionFactory.FindFirstAction(member.Actions, null, then.Task, node?.Details);
            if (memberAction is not null)
            {
                changed |= UpdateOrderedActions(ws, first, memberAction, node, flags, filter, type);
            }
        }
        return changed;
    }

    private static Updated UpdateCloneOrdered(WorkingSet ws, SchedAction first, SchedAction then, Node? node, ActionFlags flags,
                                              ActionFlags filter, OrderFlags type)
    {
        if (CanInterleave(first, then))
        {
            return UpdateInterleaved(ws, first, then, node, filter, type);
        }
        var changed = UpdatePrimitiveOrdered(ws, first, then, node, flags, filter, type);
        foreach (var child in then.Rsc?.Children ?? [])
        {
            var childAction = ActionFactory.FindFirstAction(child.Actions, null, then.Task, node?.Details);
            if (childAction is null)
            {
                continue;
            }
            var childChanged = Updated.None;
            var childFlags = Flags(childAction, node);
            if ((childFlags & ActionFlags.Runnable) != 0)
            {
                childChanged |= UpdateOrderedActions(ws, first, childAction, node, flags, filter, type);
            }
            changed |= childChanged;
            if ((childChanged & Updated.Then) != 0)
            {
                foreach (var next in childAction.ActionsAfter.ToList())
                {
                    UpdateActionForOrderings(ws, next.Action);
                }
            }
        }
        return changed;
    }

    private static bool CanInterleave(SchedAction first, SchedAction then)
    {
        if (first.Rsc is null || then.Rsc is null || ReferenceEquals(first.Rsc, then.Rsc)
            || first.Rsc.Variant < ResourceVariant.Clone || then.Rsc.Variant < ResourceVariant.Clone)
        {
            return false;
        }
        var rsc = then.Uuid.EndsWith("_stop_0", StringComparison.Ordinal) || then.Uuid.EndsWith("_demote_0", StringComparison.Ordinal)
            ? first.Rsc
            : then.Rsc;
        return PcmkText.IsTrue(rsc.Meta.GetValueOrDefault("interleave"));
    }

    private static Updated UpdateInterleaved(WorkingSet ws, SchedAction first, SchedAction then, Node? node, ActionFlags filter, OrderFlags type)
    {
        var changed = Updated.None;
        var current = first.Uuid.EndsWith("_stopped_0", StringComparison.Ordinal) || first.Uuid.EndsWith("_demoted_0", StringComparison.Ordinal);
        foreach (var thenChild in then.Rsc!.Children.ToList())
        {
            var firstChild = CloneAssignment.FindCompatibleChild(thenChild, first.Rsc!, Role.Unknown, current);
            if (firstChild is null && current)
            {
                continue;
            }
            if (firstChild is null)
            {
                if ((type & (OrderFlags.RunnableLeft | OrderFlags.ImpliesThen)) != 0)
                {
                    if (Assignment.AssignResource(thenChild, null, true))
                    {
                        changed |= Updated.Then;
                    }
                }
                continue;
            }
            var task = CloneChildAction(first);
            var firstAction = ActionFactory.FindFirstAction(firstChild.Actions, null, ActionFactory.ToText(task), node?.Details);
            var thenAction = ActionFactory.FindFirstAction(thenChild.Actions, null, then.Task, node?.Details);
            if (firstAction is null || thenAction is null)
            {
                continue;
            }
            if (ActionFactory.OrderActions(firstAction, thenAction, type))
            {
                changed |= Updated.First | Updated.Then;
            }
            changed |= UpdateOrderedActions(ws, firstAction, thenAction, node, Flags(firstAction, node), filter, type);
        }
        return changed;
    }

    private static void ClearBecause(SchedAction action, ActionFlags flag, SchedAction reason)
    {
        if (!action.Is(flag))
        {
            return;
        }
        action.Clear(flag);
        if (!ReferenceEquals(action.Rsc, reason.Rsc))
        {
            var change = flag is ActionFlags.Runnable or ActionFlags.MigrateRunnable ? "unrunnable" : "required";
            var text = reason.Rsc is null ? $"{change} {reason.Task}" : $"{change} {reason.Rsc.Id} {reason.Task}";
            ActionFactory.SetReason(action, text, flag == ActionFlags.MigrateRunnable);
        }
    }

    private static void HandleAsymmetricOrdering(SchedAction first, SchedAction then)
    {
        if (then.Rsc is null)
        {
            return;
        }
        var thenRole = then.Rsc.State(true);
        var thenOn = then.Rsc.RunningOn;
        if (thenRole == Role.Stopped && then.Task == ActionFactory.Stop)
        {
            return;
        }
        if (thenRole >= Role.Started && then.Is(ActionFlags.Optional) && then.Node is not null && thenOn.Count == 1
            && ReferenceEquals(then.Node.Details, thenOn[0].Details) && then.Task == ActionFactory.Start)
        {
            return;
        }
        if (!first.Is(ActionFlags.Runnable))
        {
            ClearBecause(then, ActionFlags.Optional, first);
            ClearBecause(then, ActionFlags.Runnable, first);
        }
    }

    private static void HandleRestartOrdering(SchedAction first, SchedAction then, ActionFlags filter)
    {
        string? reason = null;
        if ((filter & ActionFlags.Optional) != 0 && !then.Is(ActionFlags.Optional))
        {
            reason = "restart";
        }
        if ((filter & ActionFlags.Runnable) != 0 && !then.Is(ActionFlags.Runnable) && then.Rsc!.Is(ResourceFlags.Managed)
            && ReferenceEquals(first.Rsc, then.Rsc))
        {
            reason = "stop";
        }
        if (reason is null)
        {
            return;
        }
        if (first.Is(ActionFlags.Runnable))
        {
            ClearBecause(first, ActionFlags.Optional, then);
        }
        if (!then.Is(ActionFlags.Optional))
        {
            ClearBecause(first, ActionFlags.Optional, then);
        }
        if (!then.Is(ActionFlags.MigrateRunnable))
        {
            ClearBecause(first, ActionFlags.MigrateRunnable, then);
        }
        if (!first.Is(ActionFlags.Optional) && !first.Is(ActionFlags.Runnable))
        {
            ClearBecause(then, ActionFlags.Runnable, first);
        }
    }

    private static Updated UpdatePrimitiveOrdered(WorkingSet ws, SchedAction first, SchedAction then, Node? node, ActionFlags flags,
                                                  ActionFlags filter, OrderFlags type)
    {
        _ = node;
        var changed = Updated.None;
        var thenFlags = then.Flags;
        var firstFlags = first.Flags;
        if ((type & OrderFlags.Asymmetrical) != 0)
        {
            HandleAsymmetricOrdering(first, then);
        }
        if ((type & OrderFlags.ImpliesFirst) != 0 && (thenFlags & ActionFlags.Optional) == 0)
        {
            if ((filter & ActionFlags.Optional) != 0 && (flags & ActionFlags.Optional) == 0 && (firstFlags & ActionFlags.Optional) != 0)
            {
                ClearBecause(first, ActionFlags.Optional, then);
            }
            if ((flags & ActionFlags.MigrateRunnable) != 0 && !then.Is(ActionFlags.MigrateRunnable))
            {
                ClearBecause(first, ActionFlags.MigrateRunnable, then);
            }
        }
        if ((type & OrderFlags.PromotedImpliesFirst) != 0 && then.Rsc is not null && then.Rsc.Role == Role.Promoted
            && (filter & ActionFlags.Optional) != 0 && !then.Is(ActionFlags.Optional))
        {
            ClearBecause(first, ActionFlags.Optional, then);
            if (first.Is(ActionFlags.MigrateRunnable) && !then.Is(ActionFlags.MigrateRunnable))
            {
                ClearBecause(first, ActionFlags.MigrateRunnable, then);
            }
        }
        if ((type & OrderFlags.ImpliesFirstMigratable) != 0 && (filter & ActionFlags.Optional) != 0)
        {
            if (!then.Is(ActionFlags.MigrateRunnable) || !then.Is(ActionFlags.Runnable))
            {
                ClearBecause(first, ActionFlags.Runnable, then);
            }
            if (!then.Is(ActionFlags.Optional))
            {
                ClearBecause(first, ActionFlags.Optional, then);
            }
        }
        if ((type & OrderFlags.PseudoLeft) != 0 && (filter & ActionFlags.Optional) != 0 && !first.Is(ActionFlags.Runnable))
        {
            ClearBecause(then, ActionFlags.MigrateRunnable, first);
            then.Clear(ActionFlags.Pseudo);
        }
        if ((type & OrderFlags.RunnableLeft) != 0 && (filter & ActionFlags.Runnable) != 0 && then.Is(ActionFlags.Runnable)
            && (flags & ActionFlags.Runnable) == 0)
        {
            ClearBecause(then, ActionFlags.Runnable, first);
            ClearBecause(then, ActionFlags.MigrateRunnable, first);
        }
        if ((type & OrderFlags.ImpliesThen) != 0 && (filter & ActionFlags.Optional) != 0 && then.Is(ActionFlags.Optional)
            && (flags & ActionFlags.Optional) == 0 && !first.Is(ActionFlags.MigrateRunnable))
        {
            ClearBecause(then, ActionFlags.Optional, first);
        }
        if ((type & OrderFlags.Restart) != 0)
        {
            HandleRestartOrdering(first, then, filter);
        }
        if (thenFlags != then.Flags)
        {
            changed |= Updated.Then;
            if (then.Rsc is not null && then.Rsc.Parent is not null)
            {
                UpdateActionForOrderings(ws, then);
            }
        }
        if (firstFlags != first.Flags)
        {
            changed |= Updated.First;
        }
        return changed;
    }
}
