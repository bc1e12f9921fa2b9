using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>Creates the actions and built-in orderings of resources of every kind.</summary>
internal static class ResourceActions
{
    public static void CreateActions(Resource rsc)
    {
        switch (rsc.Variant)
        {
            case ResourceVariant.Primitive:
                PrimitiveActions.Create(rsc);
                break;
            case ResourceVariant.Group:
                CreateGroupActions(rsc);
                break;
            case ResourceVariant.Clone:
                CloneActions.Create(rsc);
                break;
        }
    }

    public static void InternalConstraints(Resource rsc)
    {
        switch (rsc.Variant)
        {
            case ResourceVariant.Primitive:
                PrimitiveActions.InternalConstraints(rsc);
                break;
            case ResourceVariant.Group:
                GroupInternalConstraints(rsc);
                break;
            case ResourceVariant.Clone:
                CloneActions.InternalConstraints(rsc);
                break;
        }
    }

    /// <summary>Schedules deleting a resource's history on a node (stop, clean-up, start).</summary>
    public static void ScheduleCleanup(Resource rsc, Node node, bool optional)
    {
        var flag = optional ? OrderFlags.ImpliesThen : OrderFlags.Optional;
        if (rsc.Is(ResourceFlags.Failed) || node.Details.Unclean || !node.Details.Online)
        {
            return;
        }
        ActionFactory.DeleteAction(rsc, node, optional);
        Orderings.OrderResourceActions(rsc, ActionFactory.Stop, rsc, ActionFactory.Delete, flag);
        Orderings.OrderResourceActions(rsc, ActionFactory.Delete, rsc, ActionFactory.Start, flag);
    }

    private static SchedAction GroupPseudoOp(Resource group, string action)
    {
        var op = ActionFactory.CustomAction(group.Cluster, group, OpKeys.Key(group.Id, action, 0), action, null, true, true);
        op.Set(ActionFlags.Pseudo | ActionFlags.Runnable);
        return op;
    }

    private static void CreateGroupActions(Resource rsc)
    {
        foreach (var member in rsc.Children)
        {
            CreateActions(member);
        }
        GroupPseudoOp(rsc, ActionFactory.Start);
        GroupPseudoOp(rsc, ActionFactory.Started);
        GroupPseudoOp(rsc, ActionFactory.Stop);
        GroupPseudoOp(rsc, ActionFactory.Stopped);
        if (PcmkText.IsTrue(rsc.Meta.GetValueOrDefault("promotable")))
        {
            GroupPseudoOp(rsc, ActionFactory.Demote);
            GroupPseudoOp(rsc, ActionFactory.Demoted);
            GroupPseudoOp(rsc, ActionFactory.Promote);
            GroupPseudoOp(rsc, ActionFactory.Promoted);
        }
    }

    private static void GroupInternalConstraints(Resource rsc)
    {
        Orderings.OrderResourceActions(rsc, ActionFactory.Stop, rsc, ActionFactory.Stopped, OrderFlags.RunnableLeft);
        Orderings.OrderResourceActions(rsc, ActionFactory.Stopped, rsc, ActionFactory.Start, OrderFlags.Optional);
        Orderings.OrderResourceActions(rsc, ActionFactory.Start, rsc, ActionFactory.Started, OrderFlags.RunnableLeft);
        var ordered = rsc.Group!.Ordered;
        var colocated = rsc.Group.Colocated;
        var promotable = rsc.Top.Is(ResourceFlags.Promotable);
        Resource? previous = null;
        Resource? lastActive = null;
        foreach (var member in rsc.Children)
        {
            var downFlags = OrderFlags.ImpliesFirstPrinted;
            var postDownFlags = OrderFlags.ImpliesThenPrinted;
            InternalConstraints(member);
            if (previous is null)
            {
                if (ordered)
                {
                    downFlags |= OrderFlags.Optional;
                    postDownFlags = OrderFlags.ImpliesThen;
                }
            }
            else if (colocated)
            {
                Colocation.Colocations.New(rsc.Cluster, "group:internal_colocation", null, Scores.Infinity, member, previous, null, null,
                    member.Is(ResourceFlags.Critical));
            }
            if (promotable)
            {
                Orderings.OrderResourceActions(rsc, ActionFactory.Demote, member, ActionFactory.Demote, downFlags);
                Orderings.OrderResourceActions(member, ActionFactory.Demote, rsc, ActionFactory.Demoted, postDownFlags);
                Orderings.OrderResourceActions(member, ActionFactory.Promote, rsc, ActionFactory.Promoted,
                    OrderFlags.RunnableLeft | OrderFlags.ImpliesThen | OrderFlags.ImpliesThenPrinted);
                Orderings.OrderResourceActions(rsc, ActionFactory.Promote, member, ActionFactory.Promote, OrderFlags.ImpliesFirstPrinted);
            }
            Orderings.OrderStops(rsc, member, downFlags);
            Orderings.OrderResourceActions(member, ActionFactory.Stop, rsc, ActionFactory.Stopped, postDownFlags);
            Orderings.OrderStarts(rsc, member, OrderFlags.ImpliesFirstPrinted);
            Orderings.OrderResourceActions(member, ActionFactory.Start, rsc, ActionFactory.Started,
                OrderFlags.RunnableLeft | OrderFlags.ImpliesThen | OrderFlags.ImpliesThenPrinted);
            if (!ordered)
            {
                Orderings.OrderStarts(rsc, member, OrderFlags.ImpliesThen | OrderFlags.RunnableLeft | OrderFlags.ImpliesFirstPrinted);
                if (promotable)
                {
                    Orderings.OrderResourceActions(rsc, ActionFactory.Promote, member, ActionFactory.Promote,
                        OrderFlags.ImpliesThen | OrderFlags.RunnableLeft | OrderFlags.ImpliesFirstPrinted);
                }
            }
            else if (previous is null)
            {
                Orderings.OrderStarts(rsc, member, OrderFlags.None);
                if (promotable)
                {
                    Orderings.OrderResourceActions(rsc, ActionFactory.Promote, member, ActionFactory.Promote, OrderFlags.None);
                }
            }
            else
            {
                Orderings.OrderStarts(previous, member, OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
                Orderings.OrderStops(member, previous, OrderFlags.Optional | OrderFlags.Restart);
                if (promotable)
                {
                    Orderings.OrderResourceActions(previous, ActionFactory.Promote, member, ActionFactory.Promote,
                        OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
                    Orderings.OrderResourceActions(member, ActionFactory.Demote, previous, ActionFactory.Demote, OrderFlags.Optional);
                }
            }
            if (member.RunningOn.Count > 0)
            {
                if (ordered && previous is not null && previous.RunningOn.Count == 0 && lastActive is not null && lastActive.RunningOn.Count > 0)
                {
                    Orderings.OrderStops(member, lastActive, OrderFlags.Optional);
                }
                lastActive = member;
            }
            previous = member;
        }
    }
}
