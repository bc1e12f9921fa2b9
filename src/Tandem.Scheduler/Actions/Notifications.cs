using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Clone notifications (notify=true): pre- and post- notify pseudo-actions around each kind of clone
/// action, and per-instance notify actions carrying who starts, stops, promotes and demotes where.
/// </summary>
internal static class Notifications
{
    private static SchedAction NewPseudo(Resource rsc, SchedAction action, string notifyAction, string notifyType)
    {
        var notify = ActionFactory.CustomAction(rsc.Cluster, rsc, OpKeys.NotifyKey(rsc.Id, notifyType, action.Task), notifyAction, null,
            action.Is(ActionFlags.Optional), true);
        notify.Set(ActionFlags.Pseudo);
        notify.Meta.TryAdd("notify_key_type", notifyType);
        notify.Meta.TryAdd("notify_key_operation", action.Task);
        return notify;
    }

    /// <summary>Creates the notification pseudo-actions for a clone action and its completion (pe__clone_notif_pseudo_ops).</summary>
    public static NotificationData? CreatePseudoOps(Resource rsc, string task, SchedAction? action, SchedAction? complete)
    {
        if (!rsc.Is(ResourceFlags.Notify))
        {
            return null;
        }
        var data = new NotificationData { Action = task };
        if (action is not null)
        {
            data.Pre = NewPseudo(rsc, action, ActionFactory.Notify, "pre");
            data.Pre.Set(ActionFlags.Runnable);
            data.Pre.Meta.TryAdd("notify_type", "pre");
            data.Pre.Meta.TryAdd("notify_operation", task);
            data.PreDone = NewPseudo(rsc, action, ActionFactory.Notified, "confirmed-pre");
            data.PreDone.Set(ActionFlags.Runnable);
            data.PreDone.Meta.TryAdd("notify_type", "pre");
            data.PreDone.Meta.TryAdd("notify_operation", task);
            ActionFactory.OrderActions(data.Pre, data.PreDone, OrderFlags.Optional);
            ActionFactory.OrderActions(data.PreDone, action, OrderFlags.Optional);
        }
        if (complete is not null)
        {
            data.Post = NewPseudo(rsc, complete, ActionFactory.Notify, "post");
            data.Post.Priority = Scores.Infinity;
            SetRunnable(data.Post, complete.Is(ActionFlags.Runnable));
            data.Post.Meta.TryAdd("notify_type", "post");
            data.Post.Meta.TryAdd("notify_operation", task);
            data.PostDone = NewPseudo(rsc, complete, ActionFactory.Notified, "confirmed-post");
            data.PostDone.Priority = Scores.Infinity;
            SetRunnable(data.PostDone, complete.Is(ActionFlags.Runnable));
            data.PostDone.Meta.TryAdd("notify_type", "post");
            data.PostDone.Meta.TryAdd("notify_operation", task);
            ActionFactory.OrderActions(complete, data.Post, OrderFlags.ImpliesThen);
            ActionFactory.OrderActions(data.Post, data.PostDone, OrderFlags.ImpliesThen);
        }
        if (action is not null && complete is not null)
        {
            ActionFactory.OrderActions(data.PreDone, data.Post, OrderFlags.Optional);
        }
        return data;
    }

    private static void SetRunnable(SchedAction action, bool runnable)
    {
        if (runnable)
        {
            action.Set(ActionFlags.Runnable);
        }
        else
        {
            action.Clear(ActionFlags.Runnable);
        }
    }

    private static void CollectResourceData(Resource rsc, bool activity, NotificationData data)
    {
        data.AllowedNodes ??= rsc.AllowedNodes;
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                CollectResourceData(child, activity, data);
            }
            return;
        }
        var node = rsc.RunningOn.Count > 0 ? rsc.RunningOn[0] : null;
        switch (rsc.Role)
        {
            case Role.Stopped:
                data.Inactive.Insert(0, (rsc, node));
                break;
            case Role.Started:
                data.Active.Insert(0, (rsc, node));
                break;
            case Role.Unpromoted:
                data.Unpromoted.Insert(0, (rsc, node));
                data.Active.Insert(0, (rsc, node));
                break;
            case Role.Promoted:
                data.Promoted.Insert(0, (rsc, node));
                data.Active.Insert(0, (rsc, node));
                break;
        }
        if (!activity)
        {
            return;
        }
        foreach (var op in rsc.Actions)
        {
            if (op.Is(ActionFlags.Optional) || op.Node is null)
            {
                continue;
            }
            var task = ActionFactory.ToKind(op.Task);
            if (!(task == TaskKind.Stop && op.Node.Details.Unclean) && !op.Is(ActionFlags.Runnable))
            {
                continue;
            }
            switch (task)
            {
                case TaskKind.Start:
                    data.Start.Insert(0, (rsc, op.Node));
                    break;
                case TaskKind.Stop:
                    data.Stop.Insert(0, (rsc, op.Node));
                    break;
                case TaskKind.Promote:
                    data.Promote.Insert(0, (rsc, op.Node));
                    break;
                case TaskKind.Demote:
                    data.Demote.Insert(0, (rsc, op.Node));
                    break;
            }
        }
    }

    private static (string Resources, string Nodes) EntriesToStrings(List<(Resource Rsc, Node? Node)> list, bool withNodes)
    {
        var sorted = GList.Sort(list, (a, b) =>
        {
            var tmp = PcmkText.StrCmp(a.Rsc.Id, b.Rsc.Id);
            if (tmp != 0)
            {
                return tmp;
            }
            if (a.Node is null && b.Node is null)
            {
                return 0;
            }
            if (a.Node is null)
            {
                return 1;
            }
            if (b.Node is null)
            {
                return -1;
            }
            return PcmkText.StrCmp(a.Node.Id, b.Node.Id);
        });
        list.Clear();
        list.AddRange(sorted);
        var resources = new List<string>();
        var nodes = new List<string>();
        string? last = null;
        foreach (var (rsc, node) in sorted)
        {
            if (withNodes && node is null)
            {
                continue;
            }
            if (rsc.Id == last)
            {
                continue;
            }
            last = rsc.Id;
            resources.Add(rsc.Id);
            if (withNodes)
            {
                nodes.Add(node!.Uname);
            }
        }
        return (resources.Count == 0 ? " " : string.Join(' ', resources), nodes.Count == 0 ? " " : string.Join(' ', nodes));
    }

    private static void AddKey(NotificationData data, string name, string value) => data.Keys.Insert(0, new(name, value));

    private static void AddNotifyKeys(Resource rsc, NotificationData data)
    {
        var required = false;
        var (rscList, nodeList) = EntriesToStrings(data.Stop, true);
        if (rscList != " " && data.Action == ActionFactory.Stop)
        {
            required = true;
        }
        AddKey(data, "notify_stop_resource", rscList);
        AddKey(data, "notify_stop_uname", nodeList);
        if (data.Start.Count > 0 && data.Action == ActionFactory.Start)
        {
            required = true;
        }
        (rscList, nodeList) = EntriesToStrings(data.Start, true);
        AddKey(data, "notify_start_resource", rscList);
        AddKey(data, "notify_start_uname", nodeList);
        if (data.Demote.Count > 0 && data.Action == ActionFactory.Demote)
        {
            required = true;
        }
        (rscList, nodeList) = EntriesToStrings(data.Demote, true);
        AddKey(data, "notify_demote_resource", rscList);
        AddKey(data, "notify_demote_uname", nodeList);
        if (data.Promote.Count > 0 && data.Action == ActionFactory.Promote)
        {
            required = true;
        }
        (rscList, nodeList) = EntriesToStrings(data.Promote, true);
        AddKey(data, "notify_promote_resource", rscList);
        AddKey(data, "notify_promote_uname", nodeList);
        (rscList, nodeList) = EntriesToStrings(data.Active, true);
        AddKey(data, "notify_active_resource", rscList);
        AddKey(data, "notify_active_uname", nodeList);
        (rscList, nodeList) = EntriesToStrings(data.Unpromoted, true);
        AddKey(data, "notify_unpromoted_resource", rscList);
        AddKey(data, "notify_unpromoted_uname", nodeList);
        AddKey(data, "notify_slave_resource", rscList);
        AddKey(data, "notify_slave_uname", nodeList);
        (rscList, nodeList) = EntriesToStrings(data.Promoted, true);
        AddKey(data, "notify_promoted_resource", rscList);
        AddKey(data, "notify_promoted_uname", nodeList);
        AddKey(data, "notify_master_resource", rscList);
        AddKey(data, "notify_master_uname", nodeList);
        (rscList, _) = EntriesToStrings(data.Inactive, false);
        AddKey(data, "notify_inactive_resource", rscList);
        var available = GList.Sort(data.AllowedNodes?.Values ?? [], (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname));
        AddKey(data, "notify_available_uname", NodeNames(available));
        AddKey(data, "notify_all_uname", NodeNames(rsc.Cluster.Nodes));
        if (required && data.Pre is not null)
        {
            data.Pre.Clear(ActionFlags.Optional);
            data.PreDone!.Clear(ActionFlags.Optional);
        }
        if (required && data.Post is not null)
        {
            data.Post.Clear(ActionFlags.Optional);
            data.PostDone!.Clear(ActionFlags.Optional);
        }
    }

    private static string NodeNames(IEnumerable<Node> nodes)
    {
        var names = nodes.Select(n => n.Uname).ToList();
        return names.Count == 0 ? " " : string.Join(' ', names);
    }

    private static void AddDataToMeta(NotificationData data, SchedAction action)
    {
        foreach (var (name, value) in data.Keys)
        {
            action.Meta.TryAdd(name, value);
        }
    }

    private static SchedAction? NewNotifyAction(Resource rsc, Node node, SchedAction? op, SchedAction? notifyDone, NotificationData data)
    {
        if (op is null || notifyDone is null || !node.Details.Online || !op.Is(ActionFlags.Runnable))
        {
            return null;
        }
        var type = op.Meta.GetValueOrDefault("notify_type") ?? "";
        var task = op.Meta.GetValueOrDefault("notify_operation") ?? "";
        var notify = ActionFactory.CustomAction(rsc.Cluster, rsc, OpKeys.NotifyKey(rsc.Id, type, task), op.Task, node,
            op.Is(ActionFlags.Optional), true);
        foreach (var (name, value) in op.Meta)
        {
            notify.Meta.TryAdd(name, value);
        }
        AddDataToMeta(data, notify);
        ActionFactory.OrderActions(op, notify, OrderFlags.Optional);
        ActionFactory.OrderActions(notify, notifyDone, OrderFlags.Optional);
        return notify;
    }

    private static void NewPostNotifyAction(Resource rsc, Node node, NotificationData data)
    {
        var notify = NewNotifyAction(rsc, node, data.Post, data.PostDone, data);
        if (notify is not null)
        {
            notify.Priority = Scores.Infinity;
        }
        if (data.PostDone is null)
        {
            return;
        }
        foreach (var monitor in rsc.Actions.ToList())
        {
            var interval = monitor.Meta.GetValueOrDefault("interval");
            if (interval is null || interval == "0" || monitor.Task == ActionFactory.Cancel)
            {
                continue;
            }
            ActionFactory.OrderActions(data.PostDone, monitor, OrderFlags.Optional);
        }
    }

    private static void CreateNotifyActions(Resource rsc, NotificationData data)
    {
        var task = ActionFactory.ToKind(data.Action);
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                CreateNotifyActions(child, data);
            }
            return;
        }
        foreach (var op in rsc.Actions)
        {
            if (op.Is(ActionFlags.Optional) || op.Node is null)
            {
                continue;
            }
            if (ActionFactory.ToKind(op.Task) is TaskKind.Start or TaskKind.Stop or TaskKind.Promote or TaskKind.Demote)
            {
                AddDataToMeta(data, op);
            }
        }
        switch (task)
        {
            case TaskKind.Start when data.Start.Count == 0:
            case TaskKind.Promote when data.Promote.Count == 0:
            case TaskKind.Demote when data.Demote.Count == 0:
                return;
        }
        if (rsc.Role != Role.Stopped && task is TaskKind.Stop or TaskKind.Demote)
        {
            var stop = ActionFactory.FindFirstAction(rsc.Actions, null, ActionFactory.Stop, null);
            foreach (var current in rsc.RunningOn.ToList())
            {
                if (stop is not null && stop.Is(ActionFlags.Pseudo) && (current.Details.Unclean || current.Details.RemoteRequiresReset))
                {
                    continue;
                }
                NewNotifyAction(rsc, current, data.Pre, data.PreDone, data);
                if (task == TaskKind.Demote || stop is null || stop.Is(ActionFlags.Optional))
                {
                    NewPostNotifyAction(rsc, current, data);
                }
            }
        }
        if (rsc.NextRole != Role.Stopped && task is TaskKind.Start or TaskKind.Promote)
        {
            var start = ActionFactory.FindFirstAction(rsc.Actions, null, ActionFactory.Start, null);
            if (start?.Node?.Details.RemoteRsc is { } remote)
            {
                var remoteStart = ActionFactory.FindFirstAction(remote.Actions, null, ActionFactory.Start, null);
                if (remoteStart is not null && !remoteStart.Is(ActionFlags.Runnable))
                {
                    return;
                }
            }
            if (rsc.AllocatedTo is null)
            {
                return;
            }
            if (task != TaskKind.Start || start is null || start.Is(ActionFlags.Optional))
            {
                NewNotifyAction(rsc, rsc.AllocatedTo, data.Pre, data.PreDone, data);
            }
            NewPostNotifyAction(rsc, rsc.AllocatedTo, data);
        }
    }

    /// <summary>Creates the per-instance notifications for one kind of clone action (pe__create_notifications).</summary>
    public static void Create(Resource rsc, NotificationData? data)
    {
        if (data is null)
        {
            return;
        }
        CollectResourceData(rsc, true, data);
        AddNotifyKeys(rsc, data);
        CreateNotifyActions(rsc, data);
    }

    /// <summary>Notifies the clone about a stop implied by fencing, after the fencing.</summary>
    public static void OrderNotificationsAfterFencing(WorkingSet ws, SchedAction stop, Resource rsc, SchedAction stonith)
    {
        _ = ws;
        var data = CreatePseudoOps(rsc, ActionFactory.Stop, null, stonith);
        if (data is null)
        {
            return;
        }
        CollectResourceData(rsc, false, data);
        AddKey(data, "notify_stop_resource", rsc.Id);
        AddKey(data, "notify_stop_uname", stop.Node!.Uname);
        CreateNotifyActions(rsc.Top, data);
    }
}
