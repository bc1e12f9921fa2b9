using Tandem.Model.Status;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Compares what ran with what is configured now: a changed agent means clean-up and restart, changed
/// parameters mean reload or restart (or a rescheduled monitor), a monitor no longer configured is
/// cancelled, and fail counts of changed operations are cleared (pcmk__handle_rsc_config_changes).
/// </summary>
internal static class ConfigChanges
{
    public static void Handle(WorkingSet ws)
    {
        foreach (var node in ws.Nodes)
        {
            if (!node.Details.Maintenance && !NodeAvailability.Available(node, considerScore: false, considerGuest: false))
            {
                continue;
            }
            var state = ws.Status.Nodes.FirstOrDefault(s => s.Uname == node.Uname);
            if (state is null)
            {
                continue;
            }
            foreach (var history in state.Resources)
            {
                if (history.Operations.Count == 0)
                {
                    continue;
                }
                foreach (var rsc in MatchingResources(ws, history.Id))
                {
                    if (rsc.Variant == ResourceVariant.Primitive)
                    {
                        ProcessHistory(ws, history, rsc, node);
                    }
                }
            }
        }
    }

    /// <summary>Every resource with this id or history name, the last in the tree first (as Pacemaker's prepending list).</summary>
    private static List<Resource> MatchingResources(WorkingSet ws, string id)
    {
        var result = ws.ResourceNames.Matches(id);
        result.Reverse();
        return result;
    }

    private static void ProcessHistory(WorkingSet ws, ResourceHistory history, Resource rsc, Node node)
    {
        if (rsc.Is(ResourceFlags.Orphan))
        {
            if (!rsc.Top.IsAnonClone)
            {
                ResourceActions.ScheduleCleanup(rsc, node, optional: false);
            }
            return;
        }
        if (!rsc.RunningOn.Any(n => n.Id == node.Id))
        {
            if (AgentChanged(ws, rsc, node, history, activeOnNode: false))
            {
                ResourceActions.ScheduleCleanup(rsc, node, optional: false);
            }
            return;
        }
        if (AgentChanged(ws, rsc, node, history, activeOnNode: true))
        {
            ResourceActions.ScheduleCleanup(rsc, node, optional: false);
        }
        var sorted = OperationHistory.SortByCallId(history.Operations);
        OperationHistory.CalculateActiveOps(sorted, out var startIndex, out var stopIndex);
        if (startIndex < stopIndex)
        {
            return;
        }
        for (var offset = 0; offset < sorted.Count; offset++)
        {
            if (offset < startIndex)
            {
                continue;
            }
            var op = sorted[offset];
            if (op.IntervalMs > 0 && (rsc.Is(ResourceFlags.Maintenance) || node.Details.Maintenance))
            {
                Recurring.ScheduleCancel(rsc, op.CallId?.ToString(System.Globalization.CultureInfo.InvariantCulture), op.Operation, op.IntervalMs, node);
            }
            else if (op.IntervalMs > 0 || op.Operation is ActionFactory.Monitor or ActionFactory.Start or ActionFactory.Promote
                     or ActionFactory.MigrateFrom)
            {
                if (CheckActionConfig(ws, rsc, node, op) && FailCounts.Get(ws, node.Details, rsc, effective: true) != 0)
                {
                    ActionFactory.ClearFailcountAction(rsc, node);
                }
            }
        }
    }

    /// <summary>pcmk__rsc_agent_changed: the history was recorded for another class, provider or type.</summary>
    private static bool AgentChanged(WorkingSet ws, Resource rsc, Node node, ResourceHistory history, bool activeOnNode)
    {
        var changed = rsc.Definition.Type != history.Type || rsc.Definition.Class != history.Class
                      || rsc.Definition.Provider != history.Provider;
        if (changed)
        {
            Fencing.TriggerUnfencing(ws, rsc, node, "Device definition changed", null);
        }
        if (changed && activeOnNode)
        {
            ActionFactory.CustomAction(ws, rsc, ActionFactory.StopKey(rsc), ActionFactory.Stop, node, false, true);
            rsc.Set(ResourceFlags.StartPending);
        }
        return changed;
    }

    /// <summary>pcmk__check_action_config: true when the operation's definition changed (or it is orphaned).</summary>
    private static bool CheckActionConfig(WorkingSet ws, Resource rsc, Node node, OperationRecord op)
    {
        var intervalMs = op.IntervalMs;
        var task = op.Operation;
        if (intervalMs > 0)
        {
            if (ActionFactory.FindOpEntry(rsc, OpKeys.Key(rsc.Id, task, intervalMs), includeDisabled: false) is null)
            {
                if (ws.Is(ClusterFlags.StopActionOrphans))
                {
                    Recurring.ScheduleCancel(rsc, op.CallId?.ToString(System.Globalization.CultureInfo.InvariantCulture), task, intervalMs, node);
                }
                return true;
            }
        }
        if (intervalMs == 0 && task is ActionFactory.Monitor or ActionFactory.MigrateFrom or ActionFactory.Promote)
        {
            task = ActionFactory.Start;
        }
        var digest = Digests.Compare(ws, rsc, op, node, ws.ExpiredFailureOps);
        if (ws.Is(ClusterFlags.Sanitized) && Digests.OnlySanitizedChanged(op, digest))
        {
            return false;
        }
        switch (digest.Result)
        {
            case DigestResult.Restart:
                ForceRestart(ws, rsc, task, intervalMs, node);
                return true;
            case DigestResult.All or DigestResult.Unknown:
                if (intervalMs > 0)
                {
                    Recurring.Reschedule(rsc, task, intervalMs, node);
                }
                else if (op.OpRestartDigest is not null || ws.ExpiredFailureOps.Contains(op))
                {
                    Fencing.TriggerUnfencing(ws, rsc, node, "Device parameters changed (reload)", null);
                    ScheduleReload(ws, rsc, node);
                }
                else
                {
                    ForceRestart(ws, rsc, task, intervalMs, node);
                }
                return true;
            default:
                return false;
        }
    }

    private static void ForceRestart(WorkingSet ws, Resource rsc, string task, uint intervalMs, Node node)
    {
        var required = ActionFactory.CustomAction(ws, rsc, OpKeys.Key(rsc.Id, task, intervalMs), task, null, false, true);
        ActionFactory.SetReason(required, "resource definition change", true);
        Fencing.TriggerUnfencing(ws, rsc, node, "Device parameters changed", null);
    }

    private static void ScheduleReload(WorkingSet ws, Resource rsc, Node? node)
    {
        if (rsc.Variant > ResourceVariant.Primitive)
        {
            foreach (var child in rsc.Children)
            {
                ScheduleReload(ws, child, node);
            }
            return;
        }
        if (node is null || !rsc.Is(ResourceFlags.Managed) || rsc.Is(ResourceFlags.Failed))
        {
            return;
        }
        if (rsc.Is(ResourceFlags.StartPending))
        {
            // A configuration change while a start was pending needs a full restart.
            ActionFactory.CustomAction(ws, rsc, ActionFactory.StopKey(rsc), ActionFactory.Stop, node, false, true);
            return;
        }
        rsc.Set(ResourceFlags.Reload);
        var reload = ActionFactory.CustomAction(ws, rsc, ActionFactory.ReloadKey(rsc), ActionFactory.ReloadAgent, node, false, true);
        ActionFactory.SetReason(reload, "resource definition change", false);
        Orderings.New(ws, null, null, reload, rsc, ActionFactory.StopKey(rsc), null, OrderFlags.Optional | OrderFlags.ThenCancelsFirst);
        Orderings.New(ws, null, null, reload, rsc, ActionFactory.DemoteKey(rsc), null, OrderFlags.Optional | OrderFlags.ThenCancelsFirst);
    }
}
