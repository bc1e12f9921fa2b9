using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Recurring monitors: for the role the resource will have (started, or promoted/unpromoted), and
/// "Stopped"-role monitors on every node where the resource must not run; monitors for another role
/// are cancelled.
/// </summary>
internal static class Recurring
{
    private sealed record OpHistory(string Name, string Key, Role Role, uint IntervalMs, string Id);

    public static void Create(Resource rsc)
    {
        if (rsc.Is(ResourceFlags.Block) || rsc.Is(ResourceFlags.Maintenance))
        {
            return;
        }
        SchedAction? start = null;
        if (rsc.AllocatedTo is null)
        {
            // No active-role monitors needed.
        }
        else if (rsc.AllocatedTo.Details.Maintenance)
        {
            // Nodes in maintenance get no monitors.
        }
        else if (rsc.NextRole != Role.Stopped || !rsc.Is(ResourceFlags.Managed))
        {
            start = ActionFactory.StartAction(rsc, rsc.AllocatedTo, true);
        }
        foreach (var op in rsc.Definition.Operations)
        {
            var history = RecurringHistory(rsc, op);
            if (history is null)
            {
                continue;
            }
            if (start is not null)
            {
                ForActive(rsc, start, rsc.AllocatedTo, history);
            }
            ForInactive(rsc, rsc.AllocatedTo, history);
        }
    }

    private static OpHistory? RecurringHistory(Resource rsc, OperationDefinition op)
    {
        if (op.IntervalMs == 0)
        {
            return null;
        }
        if (op.Name is ActionFactory.Stop or ActionFactory.Start or ActionFactory.Demote or ActionFactory.Promote
            or ActionFactory.ReloadAgent or ActionFactory.MigrateTo or ActionFactory.MigrateFrom)
        {
            return null;
        }
        var duplicates = rsc.Definition.Operations.Count(o => o.Name == op.Name && o.IntervalMs == op.IntervalMs);
        if (duplicates > 1)
        {
            // A repeated name+interval makes every copy invalid.
            return null;
        }
        var role = Role.Unknown;
        if (op.RoleText is not null)
        {
            if (!RoleNames.TryParse(op.RoleText, out role))
            {
                role = Role.Unknown;
            }
        }
        var key = OpKeys.Key(rsc.Id, op.Name, op.IntervalMs);
        if (ActionFactory.FindOpEntry(rsc, key, includeDisabled: false) is null)
        {
            return null;
        }
        return new OpHistory(op.Name, key, role, op.IntervalMs, op.Id);
    }

    private static bool ActiveShouldBeOptional(Resource rsc, Node? node, string key, SchedAction start)
    {
        if (node is null)
        {
            return false;
        }
        if ((ActionUpdates.Flags(start, null) & ActionFlags.Optional) == 0)
        {
            return false;
        }
        var matches = ActionFactory.FindActionsExact(rsc.Actions, key, node);
        if (matches.Count == 0)
        {
            return false;
        }
        return !matches.Any(m => m.Is(ActionFlags.Reschedule));
    }

    private static void ForActive(Resource rsc, SchedAction start, Node? node, OpHistory op)
    {
        var ws = rsc.Cluster;
        if (op.Role == Role.Stopped)
        {
            return;
        }
        var isOptional = ActiveShouldBeOptional(rsc, node, op.Key, start);
        if ((op.Role != Role.Unknown && rsc.NextRole != op.Role) || (op.Role == Role.Unknown && rsc.NextRole == Role.Promoted))
        {
            if (isOptional)
            {
                var cancel = NewCancelAction(rsc, op.Name, op.IntervalMs, node!);
                string? afterKey = null;
                switch (rsc.Role)
                {
                    case Role.Unpromoted:
                    case Role.Started:
                        if (rsc.NextRole == Role.Promoted)
                        {
                            afterKey = ActionFactory.PromoteKey(rsc);
                        }
                        else if (rsc.NextRole == Role.Stopped)
                        {
                            afterKey = ActionFactory.StopKey(rsc);
                        }
                        break;
                    case Role.Promoted:
                        afterKey = ActionFactory.DemoteKey(rsc);
                        break;
                }
                if (afterKey is not null)
                {
                    Orderings.New(ws, rsc, null, cancel, rsc, afterKey, null, OrderFlags.RunnableLeft);
                }
            }
            return;
        }
        var monitor = ActionFactory.CustomAction(ws, rsc, op.Key, op.Name, node, isOptional, true);
        if (!start.Is(ActionFlags.Runnable))
        {
            monitor.Clear(ActionFlags.Runnable);
        }
        else if (node is null || !node.Details.Online || node.Details.Unclean)
        {
            monitor.Clear(ActionFlags.Runnable);
        }
        if (rsc.NextRole == Role.Promoted)
        {
            ActionFactory.AddExpectedResult(monitor, ExecStatus.OcfRunningPromoted);
        }
        if (node is null || rsc.Is(ResourceFlags.Managed))
        {
            Orderings.New(ws, rsc, ActionFactory.StartKey(rsc), null, null, monitor.Uuid, monitor, OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
            Orderings.New(ws, rsc, ActionFactory.ReloadKey(rsc), null, null, monitor.Uuid, monitor, OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
            if (rsc.NextRole == Role.Promoted)
            {
                Orderings.New(ws, rsc, ActionFactory.PromoteKey(rsc), null, rsc, null, monitor, OrderFlags.Optional | OrderFlags.RunnableLeft);
            }
            else if (rsc.Role == Role.Promoted)
            {
                Orderings.New(ws, rsc, ActionFactory.DemoteKey(rsc), null, rsc, null, monitor, OrderFlags.Optional | OrderFlags.RunnableLeft);
            }
        }
    }

    private static void ForInactive(Resource rsc, Node? node, OpHistory op)
    {
        var ws = rsc.Cluster;
        if (op.Role != Role.Stopped)
        {
            return;
        }
        if (!rsc.Is(ResourceFlags.Unique))
        {
            // Stopped-role monitors are not supported for anonymous clones.
            return;
        }
        foreach (var stopNode in ws.Nodes)
        {
            if (node is not null && string.Equals(stopNode.Uname, node.Uname, StringComparison.OrdinalIgnoreCase))
            {
                CancelIfRunning(rsc, node, op.Key, op.Name, op.IntervalMs);
                continue;
            }
            var isOptional = ActionFactory.FindActionsExact(rsc.Actions, op.Key, stopNode).Count > 0;
            var stoppedMonitor = ActionFactory.CustomAction(ws, rsc, op.Key, op.Name, stopNode, isOptional, true);
            ActionFactory.AddExpectedResult(stoppedMonitor, ExecStatus.OcfNotRunning);
            if (rsc.Is(ResourceFlags.Managed))
            {
                foreach (var probe in ActionFactory.ResourceActions(rsc, stopNode, ActionFactory.Monitor, false))
                {
                    ActionFactory.OrderActions(probe, stoppedMonitor, OrderFlags.RunnableLeft);
                }
            }
            OrderAfterStops(rsc, stopNode, stoppedMonitor);
            if (!stopNode.Details.Online || stopNode.Details.Unclean)
            {
                stoppedMonitor.Clear(ActionFlags.Runnable);
            }
        }
    }

    private static void OrderAfterStops(Resource rsc, Node node, SchedAction action)
    {
        foreach (var stop in ActionFactory.ResourceActions(rsc, node, ActionFactory.Stop, true))
        {
            if (!stop.Is(ActionFlags.Optional) && !action.Is(ActionFlags.Optional) && !rsc.Is(ResourceFlags.Managed))
            {
                action.Set(ActionFlags.Optional);
            }
            if (!stop.Is(ActionFlags.Runnable))
            {
                action.Clear(ActionFlags.Runnable);
            }
            if (rsc.Is(ResourceFlags.Managed))
            {
                Orderings.New(rsc.Cluster, rsc, ActionFactory.StopKey(rsc), stop, null, null, action, OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
            }
        }
    }

    private static void CancelIfRunning(Resource rsc, Node node, string key, string name, uint intervalMs)
    {
        if (ActionFactory.FindActionsExact(rsc.Actions, key, node).Count == 0)
        {
            return;
        }
        var cancel = NewCancelAction(rsc, name, intervalMs, node);
        if (rsc.NextRole is Role.Started or Role.Unpromoted)
        {
            Orderings.New(rsc.Cluster, rsc, null, cancel, rsc, ActionFactory.StartKey(rsc), null, OrderFlags.RunnableLeft);
        }
    }

    /// <summary>An action cancelling a recurring operation on a node.</summary>
    public static SchedAction NewCancelAction(Resource rsc, string task, uint intervalMs, Node node)
    {
        var cancel = ActionFactory.CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, task, intervalMs), ActionFactory.Cancel, node, false, true);
        cancel.Task = ActionFactory.Cancel;
        cancel.CancelTask = task;
        cancel.Meta.TryAdd("operation", task);
        cancel.Meta.TryAdd("interval", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return cancel;
    }

    /// <summary>Cancels a recurring operation (after any stop), for example an orphaned one.</summary>
    public static void ScheduleCancel(Resource rsc, string? callId, string task, uint intervalMs, Node node)
    {
        var cancel = NewCancelAction(rsc, task, intervalMs, node);
        if (callId is not null)
        {
            cancel.Meta.TryAdd("call-id", callId);
        }
        Orderings.New(rsc.Cluster, rsc, ActionFactory.StopKey(rsc), null, rsc, null, cancel, OrderFlags.Optional);
    }

    /// <summary>Marks a recurring operation to be rescheduled (its parameters changed).</summary>
    public static void Reschedule(Resource rsc, string task, uint intervalMs, Node node)
    {
        Fencing.TriggerUnfencing(rsc.Cluster, rsc, node, "Device parameters changed (reschedule)", null);
        var op = ActionFactory.CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, task, intervalMs), task, node, true, true);
        op.Set(ActionFlags.Reschedule);
    }
}
