using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Graph;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;
using ModelColocation = Tandem.Model.Constraints.ColocationConstraint;
using ModelLocation = Tandem.Model.Constraints.LocationConstraint;
using ModelOrder = Tandem.Model.Constraints.OrderConstraint;
using ModelTicket = Tandem.Model.Constraints.TicketConstraint;

namespace Tandem.Scheduler;

/// <summary>
/// The scheduler: from a snapshot of configuration and status to a plan. Pure: the same snapshot always
/// gives the same plan; nothing is read from clocks, files or the network.
/// </summary>
public static class Scheduler
{
    // Placement and ordering recurse along colocation chains and action links; long chains need a deep stack.
    private const int StackBytes = 256 * 1024 * 1024;

    public static Plan Schedule(ClusterSnapshot snapshot, ScheduleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return RunWithDeepStack(() => ScheduleInline(snapshot, options ?? ScheduleOptions.Default));
    }

    internal static T RunWithDeepStack<T>(Func<T> work)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, StackBytes);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return result!;
    }

    /// <summary>The stages of pcmk__schedule_actions, in order.</summary>
    internal static Plan ScheduleInline(ClusterSnapshot snapshot, ScheduleOptions options)
    {
        var ws = ConfigUnpacker.Unpack(snapshot);
        if (options.RecordScores)
        {
            ws.ScoreLog = new ScoreLog();
        }
        NodeCriteria.ApplyNodeHealth(ws);
        UnpackConstraints(ws, snapshot);
        NodeCriteria.Apply(ws);
        foreach (var rsc in ws.Resources)
        {
            ResourceActions.InternalConstraints(rsc);
        }
        ConfigChanges.Handle(ws);
        AssignResources(ws);
        ScheduleResourceActions(ws);
        Fencing.ScheduleFencingAndShutdowns(ws);
        Orderings.Apply(ws);
        var graph = new GraphBuilder(ws).Build();
        return new Plan(ws, graph);
    }

    private static void UnpackConstraints(WorkingSet ws, ClusterSnapshot snapshot)
    {
        foreach (var constraint in snapshot.Configuration.Constraints)
        {
            switch (constraint)
            {
                case ModelOrder order:
                    OrderConstraints.Unpack(ws, order);
                    break;
                case ModelColocation colocation:
                    ColocationConstraints.Unpack(ws, colocation);
                    break;
                case ModelLocation location:
                    LocationConstraints.Unpack(ws, location);
                    break;
                case ModelTicket ticket:
                    TicketConstraints.Unpack(ws, ticket);
                    break;
            }
        }
    }

    private static void AssignResources(WorkingSet ws)
    {
        if (!ws.PlacementStrategy.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            NodeCriteria.SortResources(ws);
        }
        if (ws.Is(ClusterFlags.HaveRemoteNodes))
        {
            // Connections first, preferring a partial migration's target, so remote nodes are usable.
            foreach (var rsc in ws.Resources)
            {
                if (rsc.IsRemoteNode)
                {
                    Assignment.Assign(rsc, rsc.PartialMigrationTarget);
                }
            }
        }
        foreach (var rsc in ws.Resources)
        {
            if (!rsc.IsRemoteNode)
            {
                Assignment.Assign(rsc, null);
            }
        }
    }

    private static void ScheduleResourceActions(WorkingSet ws)
    {
        if (ws.Is(ClusterFlags.StartupProbes))
        {
            Probes.Schedule(ws);
        }
        if (ws.Is(ClusterFlags.StopRscOrphans))
        {
            foreach (var rsc in ws.Resources)
            {
                ClearFailcountsIfOrphaned(ws, rsc);
            }
        }
        foreach (var rsc in ws.Resources.ToList())
        {
            ResourceActions.CreateActions(rsc);
        }
    }

    private static void ClearFailcountsIfOrphaned(WorkingSet ws, Resource rsc)
    {
        if (!rsc.Is(ResourceFlags.Orphan))
        {
            return;
        }
        foreach (var node in ws.Nodes)
        {
            if (!node.Details.Online || FailCounts.Get(ws, node.Details, rsc, effective: true) == 0)
            {
                continue;
            }
            var clear = ActionFactory.ClearFailcountAction(rsc, node);
            Orderings.New(ws, clear.Rsc, null, clear, rsc, ActionFactory.StopKey(rsc), null, OrderFlags.Optional);
        }
    }
}
