using Tandem.Model.Resources;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// The actions that take a primitive from its current role to its next role on its assigned node:
/// stops (on every node it runs on when moving or recovering), starts, promotes and demotes, stepwise
/// through Pacemaker's role-transition table, plus recurring monitors and migration.
/// </summary>
internal static class PrimitiveActions
{
    // Next role on the way from a current role to a target role (rsc_state_matrix).
    private static readonly Role[,] StateMatrix =
    {
        { Role.Unknown, Role.Stopped, Role.Stopped, Role.Stopped, Role.Stopped },
        { Role.Stopped, Role.Stopped, Role.Started, Role.Unpromoted, Role.Unpromoted },
        { Role.Stopped, Role.Stopped, Role.Started, Role.Unpromoted, Role.Promoted },
        { Role.Stopped, Role.Stopped, Role.Stopped, Role.Unpromoted, Role.Promoted },
        { Role.Stopped, Role.Unpromoted, Role.Unpromoted, Role.Unpromoted, Role.Promoted },
    };

    private enum Transition
    {
        Error,
        None,
        Stop,
        Start,
        Promote,
        Demote,
    }

    // What to do to go directly from one role to the next (rsc_action_matrix).
    private static readonly Transition[,] ActionMatrix =
    {
        { Transition.Error, Transition.Stop, Transition.Error, Transition.Error, Transition.Error },
        { Transition.Error, Transition.None, Transition.Start, Transition.Start, Transition.Error },
        { Transition.Error, Transition.Stop, Transition.None, Transition.None, Transition.Promote },
        { Transition.Error, Transition.Stop, Transition.Stop, Transition.None, Transition.Promote },
        { Transition.Error, Transition.Demote, Transition.Demote, Transition.Demote, Transition.None },
    };

    private static void Apply(Transition transition, Resource rsc, Node? node, bool optional)
    {
        switch (transition)
        {
            case Transition.Stop:
                StopResource(rsc, optional);
                break;
            case Transition.Start:
                StartResource(rsc, node!, optional);
                break;
            case Transition.Promote:
                PromoteResource(rsc, node!, optional);
                break;
            case Transition.Demote:
                DemoteResource(rsc, optional);
                break;
        }
    }

    public static void Create(Resource rsc)
    {
        var needStop = false;
        var needPromote = false;
        var isMoving = false;
        var allowMigrate = false;
        if (rsc.NextRole == Role.Unknown)
        {
            rsc.NextRole = rsc.AllocatedTo is null ? Role.Stopped : Role.Started;
        }
        var current = rsc.FindActiveOn(out var numAllActive, out var numCleanActive);
        foreach (var dangling in rsc.DanglingMigrations.ToList())
        {
            MigrationActions.AbortDanglingMigration(rsc, dangling);
        }
        if (current is not null && rsc.AllocatedTo is not null && !ReferenceEquals(current.Details, rsc.AllocatedTo.Details)
            && rsc.NextRole >= Role.Started)
        {
            isMoving = true;
            allowMigrate = MigrationActions.CanMigrate(rsc, current);
            needStop = true;
        }
        if (rsc.PartialMigrationSource is not null && rsc.PartialMigrationTarget is not null && allowMigrate && numAllActive == 2
            && current is not null && ReferenceEquals(current.Details, rsc.PartialMigrationSource.Details)
            && rsc.AllocatedTo is not null && ReferenceEquals(rsc.AllocatedTo.Details, rsc.PartialMigrationTarget.Details))
        {
            // Continue the partial migration.
        }
        else if (rsc.PartialMigrationSource is not null || rsc.PartialMigrationTarget is not null)
        {
            needStop = true;
            rsc.PartialMigrationSource = null;
            rsc.PartialMigrationTarget = null;
            allowMigrate = false;
        }
        else if (rsc.Is(ResourceFlags.NeedsFencing) ? numAllActive > 1 : numCleanActive > 1)
        {
            switch (rsc.RecoveryType)
            {
                case RecoveryType.StopStart:
                    needStop = true;
                    break;
                case RecoveryType.StopUnexpected:
                    needStop = true;
                    rsc.Set(ResourceFlags.StopUnexpected);
                    break;
            }
        }
        else
        {
            rsc.Clear(ResourceFlags.StopUnexpected);
        }
        if (rsc.Is(ResourceFlags.StartPending))
        {
            var pending = ActionFactory.StartAction(rsc, rsc.AllocatedTo, true);
            pending.Set(ActionFlags.PrintAlways);
        }
        if (isMoving)
        {
            // Remaining checks apply only to resources staying put.
        }
        else if (rsc.Is(ResourceFlags.Failed))
        {
            if (rsc.Is(ResourceFlags.Stop))
            {
                needStop = true;
            }
            else if (rsc.NextRole == Role.Promoted)
            {
                needPromote = true;
            }
        }
        else if (rsc.Is(ResourceFlags.Block))
        {
            needStop = true;
        }
        else if (rsc.Role > Role.Started && current is not null && rsc.AllocatedTo is not null)
        {
            var start = ActionFactory.StartAction(rsc, rsc.AllocatedTo, true);
            if (!start.Is(ActionFlags.Optional))
            {
                // Recovery of a promoted resource.
                needStop = true;
            }
        }
        ScheduleRestartActions(rsc, current, needStop, needPromote);
        ScheduleRoleTransitionActions(rsc);
        Recurring.Create(rsc);
        if (allowMigrate)
        {
            MigrationActions.Create(rsc, current!);
        }
    }

    private static void ScheduleRestartActions(Resource rsc, Node? current, bool needStop, bool needPromote)
    {
        var role = rsc.Role;
        rsc.Set(ResourceFlags.Restarting);
        while (role != Role.Stopped)
        {
            var next = StateMatrix[(int)role, (int)Role.Stopped];
            var transition = ActionMatrix[(int)role, (int)next];
            if (transition == Transition.None)
            {
                break;
            }
            Apply(transition, rsc, current, !needStop);
            role = next;
        }
        while (rsc.Role <= rsc.NextRole && role != rsc.Role && !rsc.Is(ResourceFlags.Block))
        {
            var required = needStop;
            var next = StateMatrix[(int)role, (int)rsc.Role];
            if (next == Role.Promoted && needPromote)
            {
                required = true;
            }
            var transition = ActionMatrix[(int)role, (int)next];
            if (transition == Transition.None)
            {
                break;
            }
            Apply(transition, rsc, rsc.AllocatedTo, !required);
            role = next;
        }
        rsc.Clear(ResourceFlags.Restarting);
    }

    private static void ScheduleRoleTransitionActions(Resource rsc)
    {
        var role = rsc.Role;
        while (role != rsc.NextRole)
        {
            var next = StateMatrix[(int)role, (int)rsc.NextRole];
            var transition = ActionMatrix[(int)role, (int)next];
            if (transition == Transition.None)
            {
                break;
            }
            Apply(transition, rsc, rsc.AllocatedTo, false);
            role = next;
        }
    }

    private static bool IsExpectedNode(Resource rsc, Node node) =>
        rsc.Is(ResourceFlags.StopUnexpected) && rsc.Is(ResourceFlags.Restarting) && rsc.NextRole > Role.Stopped
        && rsc.AllocatedTo is not null && ReferenceEquals(rsc.AllocatedTo.Details, node.Details);

    private static void StopResource(Resource rsc, bool optional)
    {
        foreach (var current in rsc.RunningOn.ToList())
        {
            if (IsExpectedNode(rsc, current))
            {
                continue;
            }
            var stopOptional = optional;
            if (rsc.PartialMigrationTarget is not null)
            {
                if (ReferenceEquals(current.Details, rsc.PartialMigrationTarget.Details)
                    && rsc.AllocatedTo is not null && ReferenceEquals(current.Details, rsc.AllocatedTo.Details))
                {
                    continue;
                }
                stopOptional = false;
            }
            var stop = ActionFactory.StopAction(rsc, current, stopOptional);
            if (rsc.AllocatedTo is null)
            {
                ActionFactory.SetReason(stop, "node availability", true);
            }
            else if (rsc.Is(ResourceFlags.Restarting) && rsc.Is(ResourceFlags.StopUnexpected))
            {
                ActionFactory.SetReason(stop, "being multiply active", true);
            }
            if (!rsc.Is(ResourceFlags.Managed))
            {
                stop.Clear(ActionFlags.Runnable);
            }
            if (rsc.Cluster.Is(ClusterFlags.RemoveAfterStop))
            {
                ResourceActions.ScheduleCleanup(rsc, current, stopOptional);
            }
            if (rsc.Is(ResourceFlags.NeedsUnfencing))
            {
                var unfence = ActionFactory.FenceOp(rsc.Cluster, current, "on", true, null, false);
                ActionFactory.OrderActions(stop, unfence, OrderFlags.ImpliesFirst);
            }
        }
    }

    private static void StartResource(Resource rsc, Node node, bool optional)
    {
        var start = ActionFactory.StartAction(rsc, node, true);
        Fencing.OrderVsUnfence(rsc, node, start, OrderFlags.ImpliesThen);
        if (start.Is(ActionFlags.Runnable) && !optional)
        {
            start.Clear(ActionFlags.Optional);
        }
        if (IsExpectedNode(rsc, node))
        {
            start.Set(ActionFlags.Pseudo);
        }
    }

    private static void PromoteResource(Resource rsc, Node node, bool optional)
    {
        var runnable = ActionFactory.ResourceActions(rsc, node, ActionFactory.Start, true).All(s => s.Is(ActionFlags.Runnable));
        if (runnable)
        {
            var promote = ActionFactory.PromoteAction(rsc, node, optional);
            if (IsExpectedNode(rsc, node))
            {
                promote.Set(ActionFlags.Pseudo);
            }
        }
        else
        {
            foreach (var promote in ActionFactory.ResourceActions(rsc, node, ActionFactory.Promote, true))
            {
                promote.Clear(ActionFlags.Runnable);
            }
        }
    }

    private static void DemoteResource(Resource rsc, bool optional)
    {
        foreach (var current in rsc.RunningOn.ToList())
        {
            if (!IsExpectedNode(rsc, current))
            {
                ActionFactory.DemoteAction(rsc, current, optional);
            }
        }
    }

    /// <summary>A primitive's built-in orderings: stop before start, demote before stop, start before promote, and so on.</summary>
    public static void InternalConstraints(Resource rsc)
    {
        var ws = rsc.Cluster;
        if (!rsc.Is(ResourceFlags.Managed))
        {
            return;
        }
        var top = rsc.Top;
        var checkUnfencing = !rsc.Is(ResourceFlags.FenceDevice) && ws.Is(ClusterFlags.EnableUnfencing) && rsc.Is(ResourceFlags.NeedsUnfencing);
        var checkUtilization = rsc.Utilization.Count > 0 && !string.Equals(ws.PlacementStrategy, "default", StringComparison.OrdinalIgnoreCase);
        Orderings.New(ws, rsc, ActionFactory.StopKey(rsc), null, rsc, ActionFactory.StartKey(rsc), null,
            OrderFlags.Optional | OrderFlags.ImpliesThen | OrderFlags.Restart);
        if (top.Is(ResourceFlags.Promotable) || rsc.Role > Role.Unpromoted)
        {
            Orderings.New(ws, rsc, ActionFactory.DemoteKey(rsc), null, rsc, ActionFactory.StopKey(rsc), null, OrderFlags.PromotedImpliesFirst);
            Orderings.New(ws, rsc, ActionFactory.StartKey(rsc), null, rsc, ActionFactory.PromoteKey(rsc), null, OrderFlags.RunnableLeft);
        }
        Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.LrmDelete, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.Monitor, 0), null,
            OrderFlags.SameNode | OrderFlags.ThenCancelsFirst);
        List<Node>? allowedNodes = null;
        if (checkUnfencing || checkUtilization || rsc.Container is not null)
        {
            allowedNodes = GList.Sort(rsc.AllowedNodes.Values, (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname));
        }
        if (checkUnfencing)
        {
            foreach (var node in allowedNodes!)
            {
                Fencing.OrderRestartVsUnfence(rsc, node);
            }
        }
        if (checkUtilization)
        {
            Utilization.CreateConstraints(rsc, allowedNodes!);
        }
        if (rsc.Container is not null)
        {
            Resource? remoteRsc = null;
            if (rsc.IsRemoteNode)
            {
                if (!rsc.Is(ResourceFlags.AllowRemoteRemotes))
                {
                    AvoidRemoteNodes(rsc.Container);
                }
                Orderings.OrderResourceActions(rsc.Container, ActionFactory.Monitor, rsc, ActionFactory.Stop, OrderFlags.Optional);
            }
            else if (rsc.Container.IsRemoteNode)
            {
                remoteRsc = rsc.Container;
            }
            else
            {
                remoteRsc = RemoteOrdering.GuestConnectionFor(ws, rsc.Container);
            }
            if (remoteRsc is not null)
            {
                foreach (var node in allowedNodes!)
                {
                    if (!ReferenceEquals(node.Details.RemoteRsc, remoteRsc))
                    {
                        node.Weight = -Scores.Infinity;
                    }
                }
            }
            else
            {
                Orderings.New(ws, rsc.Container, ActionFactory.StartKey(rsc.Container), null, rsc, ActionFactory.StartKey(rsc), null,
                    OrderFlags.ImpliesThen | OrderFlags.RunnableLeft);
                Orderings.New(ws, rsc, ActionFactory.StopKey(rsc), null, rsc.Container, ActionFactory.StopKey(rsc.Container), null, OrderFlags.ImpliesFirst);
                var score = rsc.Is(ResourceFlags.AllowRemoteRemotes) ? 10000 : Scores.Infinity;
                Colocations.New(ws, "resource-with-container", null, score, rsc, rsc.Container, null, null, true);
            }
        }
        if (rsc.IsRemoteNode || rsc.Is(ResourceFlags.FenceDevice))
        {
            AvoidRemoteNodes(rsc);
        }
    }

    private static void AvoidRemoteNodes(Resource rsc)
    {
        foreach (var node in rsc.AllowedNodes.Values)
        {
            if (node.Details.RemoteRsc is not null)
            {
                node.Weight = -Scores.Infinity;
            }
        }
    }
}
