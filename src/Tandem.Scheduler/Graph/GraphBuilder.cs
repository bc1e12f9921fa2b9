using System.Globalization;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Graph;

/// <summary>
/// Turns the required, runnable actions and their orderings into the transition graph
/// (pcmk__create_graph): one synapse per action, with the inputs that still matter.
/// </summary>
internal sealed class GraphBuilder(WorkingSet ws)
{
    private readonly List<Synapse> _synapses = [];

    public TransitionGraph Build()
    {
        foreach (var rsc in ws.Resources.ToList())
        {
            AddResourceActions(rsc);
        }
        foreach (var action in ws.Actions.ToList())
        {
            AddAction(action);
        }
        var settings = new List<KeyValuePair<string, string>>
        {
            new("cluster-delay", ws.Options.GetValueOrDefault("cluster-delay") ?? "60s"),
            new("stonith-timeout", ws.Options.GetValueOrDefault("stonith-timeout") ?? "60s"),
            new("failed-stop-offset", "INFINITY"),
            new("failed-start-offset", ws.Is(ClusterFlags.StartFailureFatal) ? "INFINITY" : "1"),
            new("batch-limit", ws.Options.GetValueOrDefault("batch-limit") ?? "0"),
            new("transition_id", "0"),
        };
        var migrationLimit = ws.Options.GetValueOrDefault("migration-limit");
        if (migrationLimit is not null && (Model.Status.StatusXmlReader.ParseLong(migrationLimit) ?? 0) > 0)
        {
            settings.Add(new("migration-limit", migrationLimit));
        }
        if (ws.RecheckBy > 0)
        {
            settings.Add(new("recheck-by", ws.RecheckBy.ToString(CultureInfo.InvariantCulture)));
        }
        return new TransitionGraph(_synapses, settings);
    }

    private void AddResourceActions(Resource rsc)
    {
        if (rsc.Variant == ResourceVariant.Clone)
        {
            foreach (var action in rsc.Actions.ToList())
            {
                ActionUpdates.Flags(action, null);
            }
            var clone = rsc.Clone!;
            Notifications.Create(rsc, clone.StartNotify);
            Notifications.Create(rsc, clone.StopNotify);
            Notifications.Create(rsc, clone.PromoteNotify);
            Notifications.Create(rsc, clone.DemoteNotify);
            foreach (var child in rsc.Children.ToList())
            {
                AddResourceActions(child);
            }
            foreach (var action in rsc.Actions.ToList())
            {
                AddAction(action);
            }
            return;
        }
        foreach (var action in rsc.Actions.ToList())
        {
            AddAction(action);
        }
        foreach (var child in rsc.Children.ToList())
        {
            AddResourceActions(child);
        }
    }

    private void AddAction(SchedAction action)
    {
        if (!action.Is(ActionFlags.Dedup))
        {
            DeduplicateInputs(action);
            action.Set(ActionFlags.Dedup);
        }
        if (action.Is(ActionFlags.Dumped) || !ShouldAddAction(action))
        {
            return;
        }
        action.Set(ActionFlags.Dumped);
        var priority = action.Rsc?.Priority ?? 0;
        if (action.Priority > priority)
        {
            priority = action.Priority;
        }
        var graphAction = CreateGraphAction(action, skipDetails: false);
        var inputs = new List<GraphAction>();
        foreach (var input in action.ActionsBefore)
        {
            if (ShouldAddInput(action, input))
            {
                input.Dumped = true;
                inputs.Add(CreateGraphAction(input.Action, skipDetails: true));
            }
        }
        _synapses.Add(new Synapse(_synapses.Count, priority > 0 ? priority : 0, graphAction, inputs));
    }

    private static void DeduplicateInputs(SchedAction action)
    {
        var sorted = GList.Sort(action.ActionsBefore, (a, b) => a.Action.Id.CompareTo(b.Action.Id));
        var kept = new List<ActionWrapper>();
        ActionWrapper? last = null;
        foreach (var input in sorted)
        {
            if (last is not null && input.Action.Id == last.Action.Id)
            {
                last.Type |= input.Type;
                if (input.Dumped)
                {
                    last.Dumped = true;
                }
            }
            else
            {
                last = input;
                input.Dumped = false;
                kept.Add(input);
            }
        }
        action.ActionsBefore.Reset(kept);
    }

    private static bool ShouldAddAction(SchedAction action)
    {
        if (!action.Is(ActionFlags.Runnable))
        {
            return false;
        }
        if (action.Is(ActionFlags.Optional) && !action.Is(ActionFlags.PrintAlways))
        {
            return false;
        }
        if (action.Rsc is not null && !action.Rsc.Is(ResourceFlags.Managed) && action.Task != ActionFactory.Monitor)
        {
            var interval = action.Meta.GetValueOrDefault("interval");
            if (interval is null || interval == "0")
            {
                return false;
            }
        }
        if (action.Is(ActionFlags.Pseudo) || action.Task is ActionFactory.Fence or ActionFactory.Shutdown)
        {
            return true;
        }
        if (action.Node is null)
        {
            return false;
        }
        if (action.Is(ActionFlags.Dc))
        {
            return true;
        }
        if (action.Node.Details.IsGuest && !action.Node.Details.RemoteRequiresReset)
        {
            return true;
        }
        return action.Node.Details.Online && !action.Node.Details.Unclean;
    }

    private static bool OrderingCanChangeActions(ActionWrapper ordering) =>
        (ordering.Type & ~(OrderFlags.ImpliesFirstPrinted | OrderFlags.ImpliesThenPrinted | OrderFlags.Optional)) != 0;

    private static bool ShouldAddInput(SchedAction action, ActionWrapper input)
    {
        if (input.Dumped)
        {
            return true;
        }
        var first = input.Action;
        if (input.Type == OrderFlags.None)
        {
            return false;
        }
        if (!first.Is(ActionFlags.Runnable) && !OrderingCanChangeActions(input))
        {
            return false;
        }
        if (!first.Is(ActionFlags.Runnable) && (input.Type & OrderFlags.OneOrMore) != 0)
        {
            return false;
        }
        if ((input.Type & OrderFlags.ImpliesFirstMigratable) != 0 && !first.Is(ActionFlags.Runnable))
        {
            return false;
        }
        if ((input.Type & OrderFlags.ApplyFirstNonMigratable) != 0 && first.Is(ActionFlags.MigrateRunnable))
        {
            return false;
        }
        if (input.Type == OrderFlags.Optional && first.Is(ActionFlags.MigrateRunnable) && first.Uuid.EndsWith("_stop_0", StringComparison.Ordinal))
        {
            return false;
        }
        if (input.Type == OrderFlags.Load)
        {
            var inputNode = first.Node;
            if (action.Rsc is not null && action.Task == ActionFactory.MigrateTo)
            {
                var allocated = action.Rsc.AllocatedTo;
                if (inputNode is null || allocated is null || !ReferenceEquals(inputNode.Details, allocated.Details))
                {
                    input.Type = OrderFlags.None;
                    return false;
                }
            }
            else if (inputNode is null || action.Node is null || !ReferenceEquals(inputNode.Details, action.Node.Details))
            {
                input.Type = OrderFlags.None;
                return false;
            }
            else if (first.Is(ActionFlags.Optional))
            {
                input.Type = OrderFlags.None;
                return false;
            }
        }
        else if (input.Type == OrderFlags.AntiColocation)
        {
            if (first.Node is not null && action.Node is not null && !ReferenceEquals(first.Node.Details, action.Node.Details))
            {
                input.Type = OrderFlags.None;
                return false;
            }
            if (first.Is(ActionFlags.Optional))
            {
                input.Type = OrderFlags.None;
                return false;
            }
        }
        else if (first.Rsc is not null && !ReferenceEquals(first.Rsc, action.Rsc) && first.Rsc.Is(ResourceFlags.Failed)
                 && !first.Rsc.Is(ResourceFlags.Managed) && first.Uuid.EndsWith("_stop_0", StringComparison.Ordinal)
                 && action.Rsc is not null && action.Rsc.IsClone)
        {
            return false;
        }
        else if (first.Is(ActionFlags.Optional) && !first.IsAny(ActionFlags.PrintAlways | ActionFlags.Dumped) && !ShouldAddAction(first))
        {
            return false;
        }
        return true;
    }

    /// <summary>Whether following the input leads back to the initial action (pcmk__graph_has_loop).</summary>
    public static bool HasLoop(SchedAction initAction, SchedAction action, ActionWrapper input)
    {
        if (input.Action.Is(ActionFlags.Tracking))
        {
            return false;
        }
        if (!ShouldAddInput(action, input))
        {
            return false;
        }
        if (ReferenceEquals(input.Action, initAction))
        {
            return true;
        }
        input.Action.Set(ActionFlags.Tracking);
        var hasLoop = false;
        foreach (var next in input.Action.ActionsBefore)
        {
            if (HasLoop(initAction, input.Action, next))
            {
                hasLoop = true;
                break;
            }
        }
        input.Action.Clear(ActionFlags.Tracking);
        return hasLoop;
    }

    private GraphAction CreateGraphAction(SchedAction action, bool skipDetails)
    {
        GraphActionKind kind;
        if (action.Task == ActionFactory.Fence)
        {
            kind = action.Is(ActionFlags.Pseudo) ? GraphActionKind.Pseudo : GraphActionKind.ClusterEvent;
        }
        else if (action.Task is ActionFactory.Shutdown or ActionFactory.ClearFailcount or ActionFactory.LrmDelete)
        {
            kind = GraphActionKind.ClusterEvent;
        }
        else if (action.Is(ActionFlags.Pseudo))
        {
            kind = GraphActionKind.Pseudo;
        }
        else
        {
            kind = GraphActionKind.ResourceOperation;
        }
        var needsNodeInfo = !(kind == GraphActionKind.Pseudo && action.Task != ActionFactory.Fence);
        var key = action.Uuid;
        if (action.Rsc?.CloneName is { } cloneName)
        {
            var interval = Model.Status.StatusXmlReader.ParseLong(action.Meta.GetValueOrDefault("interval")) ?? 0;
            if (action.Task == ActionFactory.Notify)
            {
                key = OpKeys.NotifyKey(cloneName, action.Meta.GetValueOrDefault("notify_type") ?? "", action.Meta.GetValueOrDefault("notify_operation") ?? "");
            }
            else
            {
                key = OpKeys.Key(cloneName, action.CancelTask ?? action.Task, (uint)interval);
            }
        }
        string? nodeName = null;
        string? nodeId = null;
        if (needsNodeInfo && action.Node is not null)
        {
            nodeName = action.Node.Uname;
            nodeId = action.Node.Id;
            action.Meta["on_node"] = action.Node.Uname;
            action.Meta["on_node_uuid"] = action.Node.Id;
        }
        if (skipDetails)
        {
            return new GraphAction
            {
                Id = action.Id,
                Kind = kind,
                Task = action.Task,
                Key = key,
                NodeName = nodeName,
                NodeId = nodeId,
                Attributes = [],
            };
        }
        string? rscId = null;
        string? rscLongId = null;
        if (action.Rsc is not null && !action.Is(ActionFlags.Pseudo))
        {
            var rsc = action.Rsc;
            if (rsc.Is(ResourceFlags.Orphan) && rsc.CloneName is not null)
            {
                rscId = rsc.CloneName;
                rscLongId = rsc.Id;
            }
            else if (!rsc.Is(ResourceFlags.Unique))
            {
                rscId = rsc.XmlId;
                rscLongId = rsc.CloneName is not null && rsc.CloneName != rsc.XmlId ? rsc.CloneName : rsc.Id;
            }
            else
            {
                rscId = rsc.Id;
            }
        }
        var downed = new List<string>();
        if (needsNodeInfo && action.Node is not null)
        {
            if (action.Task == ActionFactory.Shutdown)
            {
                downed.Add(action.Node.Id);
            }
            else if (action.Task == ActionFactory.Fence)
            {
                var fenceAction = action.Meta.GetValueOrDefault("stonith_action");
                if (fenceAction is "reboot" or "off" or "poweroff")
                {
                    downed.Add(action.Node.Id);
                }
            }
        }
        return new GraphAction
        {
            Id = action.Id,
            Kind = kind,
            Task = action.Task,
            Key = key,
            NodeName = nodeName,
            NodeId = nodeId,
            ResourceId = rscId,
            ResourceLongId = rscLongId,
            ResourceClass = rscId is null ? null : action.Rsc!.Definition.Class,
            ResourceProvider = rscId is null ? null : action.Rsc!.Definition.Provider,
            ResourceType = rscId is null ? null : action.Rsc!.Definition.Type,
            Attributes = Attributes(action),
            Downed = downed,
        };
    }

    private SortedDictionary<string, string> AttributeTable(SchedAction action)
    {
        var args = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["crm_feature_set"] = "3.16.1",
        };
        foreach (var (name, value) in action.Extra)
        {
            args.TryAdd(name, value);
        }
        if (action.Rsc is not null && (action.Node is not null || action.Rsc.Variant == ResourceVariant.Primitive))
        {
            foreach (var (name, value) in action.Rsc.Definition.Parameters(action.Node?.Details))
            {
                args.TryAdd(name, value);
            }
        }
        foreach (var (name, value) in action.Meta)
        {
            if (name.Contains('#', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            args.TryAdd(Digests.MetaName(name), value);
        }
        if (action.Rsc is not null)
        {
            for (var parent = action.Rsc; parent is not null; parent = parent.Parent)
            {
                AddGraphMeta(parent, args);
            }
        }
        else if (action.Task == ActionFactory.Fence && action.Node is not null)
        {
            foreach (var (name, value) in action.Node.Details.Attrs)
            {
                if (name.Contains('#', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
                {
                    continue;
                }
                args.TryAdd(Digests.MetaName(name), value);
            }
        }
        return args;
    }

    private List<KeyValuePair<string, string>> Attributes(SchedAction action) => [.. AttributeTable(action)];

    private static void AddGraphMeta(Resource rsc, SortedDictionary<string, string> args)
    {
        switch (rsc.Variant)
        {
            case ResourceVariant.Primitive:
                if (rsc.Meta.TryGetValue("clone", out var instance))
                {
                    args.TryAdd("CRM_meta_clone", instance);
                }
                if (rsc.Meta.TryGetValue("remote-node", out var remoteNode))
                {
                    args.TryAdd("CRM_meta_remote_node", remoteNode);
                }
                for (var parent = rsc; parent is not null; parent = parent.Parent)
                {
                    if (parent.Container is not null)
                    {
                        args["CRM_meta_container"] = parent.Container.Id;
                    }
                }
                break;
            case ResourceVariant.Clone:
                var clone = rsc.Clone!;
                args.TryAdd("CRM_meta_globally_unique", rsc.Is(ResourceFlags.Unique) ? "true" : "false");
                args.TryAdd("CRM_meta_notify", rsc.Is(ResourceFlags.Notify) ? "true" : "false");
                args.TryAdd("CRM_meta_clone_max", clone.CloneMax.ToString(CultureInfo.InvariantCulture));
                args.TryAdd("CRM_meta_clone_node_max", clone.CloneNodeMax.ToString(CultureInfo.InvariantCulture));
                if (rsc.Is(ResourceFlags.Promotable))
                {
                    args.TryAdd("CRM_meta_promoted_max", clone.PromotedMax.ToString(CultureInfo.InvariantCulture));
                    args.TryAdd("CRM_meta_promoted_node_max", clone.PromotedNodeMax.ToString(CultureInfo.InvariantCulture));
                    args.TryAdd("CRM_meta_master_max", clone.PromotedMax.ToString(CultureInfo.InvariantCulture));
                    args.TryAdd("CRM_meta_master_node_max", clone.PromotedNodeMax.ToString(CultureInfo.InvariantCulture));
                }
                break;
        }
    }
}
