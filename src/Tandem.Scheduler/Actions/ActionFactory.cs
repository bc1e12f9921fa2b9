using System.Globalization;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Creates actions and finds existing ones. An action is identified by its key and node: asking for the
/// same key on the same node again returns the existing action (with its flags updated), which is how
/// stages that run at different times agree on one stop or start.
/// </summary>
internal static class ActionFactory
{
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Promote = "promote";
    public const string Demote = "demote";
    public const string Monitor = "monitor";
    public const string Notify = "notify";
    public const string Started = "running";
    public const string Stopped = "stopped";
    public const string Promoted = "promoted";
    public const string Demoted = "demoted";
    public const string Notified = "notified";
    public const string MigrateTo = "migrate_to";
    public const string MigrateFrom = "migrate_from";
    public const string Cancel = "cancel";
    public const string Delete = "delete";
    public const string LrmDelete = "lrm_delete";
    public const string Fence = "stonith";
    public const string Shutdown = "do_shutdown";
    public const string ClearFailcount = "clear_failcount";
    public const string ReloadAgent = "reload-agent";
    public const string Reprobe = "probe_again";

    public static string StartKey(Resource rsc) => OpKeys.Key(rsc.Id, Start, 0);
    public static string StopKey(Resource rsc) => OpKeys.Key(rsc.Id, Stop, 0);
    public static string PromoteKey(Resource rsc) => OpKeys.Key(rsc.Id, Promote, 0);
    public static string DemoteKey(Resource rsc) => OpKeys.Key(rsc.Id, Demote, 0);
    public static string ReloadKey(Resource rsc) => OpKeys.Key(rsc.Id, ReloadAgent, 0);

    public static SchedAction StopAction(Resource rsc, Node? node, bool optional) =>
        CustomAction(rsc.Cluster, rsc, StopKey(rsc), Stop, node, optional, true);

    public static SchedAction StartAction(Resource rsc, Node? node, bool optional) =>
        CustomAction(rsc.Cluster, rsc, StartKey(rsc), Start, node, optional, true);

    public static SchedAction PromoteAction(Resource rsc, Node? node, bool optional) =>
        CustomAction(rsc.Cluster, rsc, PromoteKey(rsc), Promote, node, optional, true);

    public static SchedAction DemoteAction(Resource rsc, Node? node, bool optional) =>
        CustomAction(rsc.Cluster, rsc, DemoteKey(rsc), Demote, node, optional, true);

    public static SchedAction DeleteAction(Resource rsc, Node? node, bool optional) =>
        CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, Delete, 0), Delete, node, optional, true);

    /// <summary>
    /// Returns the action with this key on this node, creating it if needed (custom_action). A required
    /// request makes an existing optional action required; runnability is recomputed from the node and
    /// quorum.
    /// </summary>
    public static SchedAction CustomAction(WorkingSet ws, Resource? rsc, string key, string task, Node? node, bool optional, bool save)
    {
        SchedAction? action = null;
        if (save)
        {
            action = FindExistingAction(ws, key, rsc, node);
        }
        action ??= NewAction(ws, key, task, rsc, node, optional, save);
        UpdateActionOptional(action, optional);
        if (rsc is not null)
        {
            if (action.Node is not null && !action.Is(ActionFlags.HaveNodeAttrs) && action.OpEntry is not null)
            {
                action.Set(ActionFlags.HaveNodeAttrs);
                OperationUnpacker.AddInstanceAttributes(action);
            }
            UpdateResourceActionRunnable(ws, action, save);
        }
        return action;
    }

    private static SchedAction? FindExistingAction(WorkingSet ws, string key, Resource? rsc, Node? node)
    {
        var matches = FindActions(rsc is null ? ws.Actions : rsc.Actions, key, node);
        return matches.Count == 0 ? null : matches[0];
    }

    private static SchedAction NewAction(WorkingSet ws, string key, string task, Resource? rsc, Node? node, bool optional, bool save)
    {
        var action = new SchedAction(0, key, task) { Rsc = rsc, Node = node?.Copy() };
        if (task == LrmDelete)
        {
            action.Set(ActionFlags.Dc);
        }
        action.Set(ActionFlags.Runnable);
        if (optional)
        {
            action.Set(ActionFlags.Optional);
        }
        if (rsc is not null)
        {
            action.OpEntry = FindOpEntry(rsc, key, includeDisabled: true);
            var intervalMs = OpKeys.TryParse(key, out _, out _, out var parsedMs) ? parsedMs : 0;
            OperationUnpacker.Unpack(ws, action, action.OpEntry, rsc.Container, intervalMs);
        }
        if (save)
        {
            action.Id = ws.NextActionId++;
            ws.Actions.Prepend(action);
            if (rsc is null)
            {
                ws.Singletons[action.Uuid] = action;
            }
            else
            {
                rsc.Actions.Prepend(action);
            }
        }
        return action;
    }

    /// <summary>The configured operation matching an action key (find_rsc_op_entry), or null.</summary>
    public static OperationDefinition? FindOpEntry(Resource rsc, string key, bool includeDisabled)
    {
        var found = FindOpEntryOnce(rsc, key, includeDisabled);
        if (found is not null)
        {
            return found;
        }
        if (key.Contains(MigrateTo, StringComparison.Ordinal) || key.Contains(MigrateFrom, StringComparison.Ordinal))
        {
            return FindOpEntryOnce(rsc, OpKeys.Key(rsc.Id, "migrate", 0), includeDisabled);
        }
        if (key.Contains("_notify_", StringComparison.Ordinal))
        {
            return FindOpEntryOnce(rsc, OpKeys.Key(rsc.Id, Notify, 0), includeDisabled);
        }
        return null;
    }

    private static OperationDefinition? FindOpEntryOnce(Resource rsc, string key, bool includeDisabled)
    {
        foreach (var op in rsc.Definition.Operations)
        {
            if (!includeDisabled && op.Enabled == false)
            {
                continue;
            }
            if (string.Equals(key, OpKeys.Key(rsc.Id, op.Name, op.IntervalMs), StringComparison.OrdinalIgnoreCase))
            {
                return op;
            }
            if (rsc.CloneName is not null
                && string.Equals(key, OpKeys.Key(rsc.CloneName, op.Name, op.IntervalMs), StringComparison.OrdinalIgnoreCase))
            {
                return op;
            }
        }
        return null;
    }

    private static void UpdateActionOptional(SchedAction action, bool optional)
    {
        if (action.Rsc is not null && action.Node is not null && !action.Is(ActionFlags.Pseudo)
            && !action.Rsc.Is(ResourceFlags.Managed) && !action.Meta.ContainsKey("interval"))
        {
            // A non-recurring action of an unmanaged resource is never required.
            action.Set(ActionFlags.Optional);
        }
        else if (!optional)
        {
            action.Clear(ActionFlags.Optional);
        }
    }

    private static NoQuorumPolicy EffectiveQuorumPolicy(WorkingSet ws, Resource rsc)
    {
        var policy = ws.NoQuorumPolicy;
        if (ws.Is(ClusterFlags.HaveQuorum))
        {
            return NoQuorumPolicy.Ignore;
        }
        if (ws.NoQuorumPolicy == NoQuorumPolicy.Demote)
        {
            switch (rsc.Role)
            {
                case Role.Promoted:
                case Role.Unpromoted:
                    if (rsc.NextRole > Role.Unpromoted)
                    {
                        rsc.NextRole = Role.Unpromoted;
                    }
                    return NoQuorumPolicy.Ignore;
                default:
                    return NoQuorumPolicy.Stop;
            }
        }
        return policy;
    }

    private static void UpdateResourceActionRunnable(WorkingSet ws, SchedAction action, bool forGraph)
    {
        if (action.Is(ActionFlags.Pseudo))
        {
            return;
        }
        var rsc = action.Rsc!;
        if (action.Node is null)
        {
            action.Clear(ActionFlags.Runnable);
        }
        else if (!action.Is(ActionFlags.Dc) && !action.Node.Details.Online
                 && (!action.Node.Details.IsGuest || action.Node.Details.RemoteRequiresReset))
        {
            action.Clear(ActionFlags.Runnable);
            if (rsc.Is(ResourceFlags.Managed) && forGraph && action.Task == Stop && !action.Node.Details.Unclean)
            {
                Unpack.NodeFencing.FenceNode(ws, action.Node, "stop is unrunnable", false);
            }
        }
        else if (!action.Is(ActionFlags.Dc) && action.Node.Details.Pending)
        {
            action.Clear(ActionFlags.Runnable);
        }
        else if (action.Needs == ActionRequires.Nothing)
        {
            SetReason(action, null, true);
            if (action.Node.Details.IsGuest && !Unpack.NodeFencing.CanFence(ws, action.Node.Details))
            {
                action.Clear(ActionFlags.Runnable);
            }
            else
            {
                action.Set(ActionFlags.Runnable);
            }
        }
        else
        {
            switch (EffectiveQuorumPolicy(ws, rsc))
            {
                case NoQuorumPolicy.Stop:
                    action.Clear(ActionFlags.Runnable);
                    SetReason(action, "no quorum", true);
                    break;
                case NoQuorumPolicy.Freeze:
                    if (!rsc.Active(true) || rsc.NextRole > rsc.Role)
                    {
                        action.Clear(ActionFlags.Runnable);
                        SetReason(action, "quorum freeze", true);
                    }
                    break;
                default:
                    action.Set(ActionFlags.Runnable);
                    break;
            }
        }
    }

    /// <summary>A node-less, resource-less pseudo-action looked up by name (get_pseudo_op).</summary>
    public static SchedAction PseudoOp(WorkingSet ws, string name)
    {
        if (ws.Singletons.TryGetValue(name, out var existing))
        {
            return existing;
        }
        var op = CustomAction(ws, null, name, name, null, true, true);
        op.Set(ActionFlags.Pseudo | ActionFlags.Runnable);
        return op;
    }

    /// <summary>A resource's pseudo-action (group or clone milestone).</summary>
    public static SchedAction NewRscPseudoAction(Resource rsc, string task, bool optional, bool runnable)
    {
        var action = CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, task, 0), task, null, optional, true);
        action.Set(ActionFlags.Pseudo);
        if (runnable)
        {
            action.Set(ActionFlags.Runnable);
        }
        return action;
    }

    /// <summary>The fencing action for a node (pe_fence_op), created once per node and fencing action.</summary>
    public static SchedAction FenceOp(WorkingSet ws, Node node, string? op, bool optional, string? reason, bool priorityDelay)
    {
        op ??= ws.StonithAction;
        var key = $"{Fence}-{node.Uname}-{op}";
        if (!ws.Singletons.TryGetValue(key, out var stonith))
        {
            stonith = CustomAction(ws, null, key, Fence, node, true, true);
            stonith.Meta.TryAdd("on_node", node.Uname);
            stonith.Meta.TryAdd("on_node_uuid", node.Id);
            stonith.Meta.TryAdd("stonith_action", op);
        }
        if (ws.PriorityFencingDelay > 0 && (priorityDelay || stonith.Meta.ContainsKey("priority-fencing-delay")))
        {
            stonith.Meta["priority-fencing-delay"] = NodePriorityFencingDelay(ws, node).ToString(CultureInfo.InvariantCulture);
        }
        if (!optional && Unpack.NodeFencing.CanFence(ws, node.Details))
        {
            stonith.Clear(ActionFlags.Optional);
            SetReason(stonith, reason, false);
        }
        else if (reason is not null && stonith.Reason is null)
        {
            stonith.Reason = reason;
        }
        return stonith;
    }

    private static int NodePriorityFencingDelay(WorkingSet ws, Node node)
    {
        if (ws.PriorityFencingDelay <= 0 || node.Details.Type != NodeType.Member || node.Details.Online)
        {
            return 0;
        }
        int memberCount = 0, onlineCount = 0, top = 0, lowest = 0;
        foreach (var n in ws.Nodes)
        {
            if (n.Details.Type != NodeType.Member)
            {
                continue;
            }
            memberCount++;
            if (n.Details.Online)
            {
                onlineCount++;
            }
            if (memberCount == 1 || n.Details.Priority > top)
            {
                top = n.Details.Priority;
            }
            if (memberCount == 1 || n.Details.Priority < lowest)
            {
                lowest = n.Details.Priority;
            }
        }
        if (onlineCount > memberCount / 2 || lowest == top || node.Details.Priority < top)
        {
            return 0;
        }
        return ws.PriorityFencingDelay;
    }

    /// <summary>Records why an action is needed or blocked (pe_action_set_reason).</summary>
    public static void SetReason(SchedAction action, string? reason, bool overwrite)
    {
        if (action.Reason is not null && !overwrite)
        {
            return;
        }
        action.Reason = reason;
    }

    public static SchedAction? FindFirstAction(IEnumerable<SchedAction> actions, string? uuid, string? task, NodeDetails? onNode)
    {
        foreach (var action in actions)
        {
            if (uuid is not null && !string.Equals(uuid, action.Uuid, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (task is not null && !string.Equals(task, action.Task, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (onNode is null)
            {
                return action;
            }
            if (action.Node is null)
            {
                continue;
            }
            if (ReferenceEquals(onNode, action.Node.Details))
            {
                return action;
            }
        }
        return null;
    }

    /// <summary>
    /// Actions with the key, on the node when one is given (find_actions). An action without a node is
    /// matched and pinned to the node, as Pacemaker does. Results are in Pacemaker's (prepended) order.
    /// </summary>
    public static List<SchedAction> FindActions(IEnumerable<SchedAction> actions, string key, Node? onNode)
    {
        var result = new List<SchedAction>();
        foreach (var action in actions)
        {
            if (!string.Equals(key, action.Uuid, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (onNode is null)
            {
                result.Insert(0, action);
            }
            else if (action.Node is null)
            {
                action.Node = onNode.Copy();
                result.Insert(0, action);
            }
            else if (ReferenceEquals(onNode.Details, action.Node.Details))
            {
                result.Insert(0, action);
            }
        }
        return result;
    }

    public static List<SchedAction> FindActionsExact(IEnumerable<SchedAction> actions, string key, Node? onNode)
    {
        var result = new List<SchedAction>();
        if (onNode is null)
        {
            return result;
        }
        foreach (var action in actions)
        {
            if (action.Node is not null && string.Equals(key, action.Uuid, StringComparison.OrdinalIgnoreCase)
                && string.Equals(onNode.Id, action.Node.Id, StringComparison.OrdinalIgnoreCase))
            {
                result.Insert(0, action);
            }
        }
        return result;
    }

    /// <summary>The resource's actions for a task (on a node), as pe__resource_actions returns them.</summary>
    public static List<SchedAction> ResourceActions(Resource rsc, Node? node, string task, bool requireNode)
    {
        var key = OpKeys.Key(rsc.Id, task, 0);
        return requireNode ? FindActionsExact(rsc.Actions, key, node) : FindActions(rsc.Actions, key, node);
    }

    /// <summary>Orders two actions (order_actions); false when an equivalent ordering already exists.</summary>
    public static bool OrderActions(SchedAction? first, SchedAction? then, OrderFlags flags)
    {
        if (flags == OrderFlags.None || first is null || then is null)
        {
            return false;
        }
        foreach (var after in first.ActionsAfter)
        {
            if (ReferenceEquals(after.Action, then) && (after.Type & flags) != 0)
            {
                return false;
            }
        }
        first.ActionsAfter.Prepend(new ActionWrapper(then, flags));
        then.ActionsBefore.Prepend(new ActionWrapper(first, flags));
        return true;
    }

    public static void AddExpectedResult(SchedAction action, int expectedRc) =>
        action.Meta["op_target_rc"] = expectedRc.ToString(CultureInfo.InvariantCulture);

    /// <summary>Schedules clearing a resource's fail count on a node.</summary>
    public static SchedAction ClearFailcountAction(Resource rsc, Node node)
    {
        var clear = CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, ClearFailcount, 0), ClearFailcount, node, false, true);
        clear.Meta.TryAdd("op_no_wait", "true");
        return clear;
    }

    public static SchedAction ClearResourceHistory(Resource rsc, Node node) =>
        CustomAction(rsc.Cluster, rsc, OpKeys.Key(rsc.Id, LrmDelete, 0), LrmDelete, node, false, true);

    /// <summary>Maps an action name to its kind (text2task).</summary>
    public static TaskKind ToKind(string? task) => task?.ToLowerInvariant() switch
    {
        Stop => TaskKind.Stop,
        Stopped => TaskKind.Stopped,
        Start => TaskKind.Start,
        Started => TaskKind.Started,
        Shutdown => TaskKind.Shutdown,
        Fence => TaskKind.Fence,
        Monitor => TaskKind.Monitor,
        Notify => TaskKind.Notify,
        Notified => TaskKind.Notified,
        Promote => TaskKind.Promote,
        Demote => TaskKind.Demote,
        Promoted => TaskKind.Promoted,
        Demoted => TaskKind.Demoted,
        _ => TaskKind.NoAction,
    };

    public static string ToText(TaskKind kind) => kind switch
    {
        TaskKind.NoAction => "no_action",
        TaskKind.Stop => Stop,
        TaskKind.Stopped => Stopped,
        TaskKind.Start => Start,
        TaskKind.Started => Started,
        TaskKind.Shutdown => Shutdown,
        TaskKind.Fence => Fence,
        TaskKind.Monitor => Monitor,
        TaskKind.Notify => Notify,
        TaskKind.Notified => Notified,
        TaskKind.Promote => Promote,
        TaskKind.Promoted => Promoted,
        TaskKind.Demote => Demote,
        TaskKind.Demoted => Demoted,
        _ => "<unknown>",
    };

    /// <summary>
    /// The task a member of a collective resource performs for a collective action: for primitives (or
    /// when non-atomic tasks are not allowed) "running" maps to "start" and so on (get_complex_task).
    /// </summary>
    public static TaskKind ComplexTask(Resource? rsc, string task, bool allowNonAtomic)
    {
        var kind = ToKind(task);
        if (rsc is null)
        {
            return kind;
        }
        if (!allowNonAtomic || rsc.Variant == ResourceVariant.Primitive)
        {
            switch (kind)
            {
                case TaskKind.Stopped:
                case TaskKind.Started:
                case TaskKind.Demoted:
                case TaskKind.Promoted:
                    return kind - 1;
            }
        }
        return kind;
    }
}
