using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Live migration: instead of stop-then-start, migrate_to on the source and migrate_from on the target,
/// with the stop and start kept as pseudo-actions for ordering; plus the orderings between resources
/// that must also hold for migrations.
/// </summary>
internal static class MigrationActions
{
    public static bool CanMigrate(Resource rsc, Node? current)
    {
        if (!rsc.Is(ResourceFlags.AllowMigrate) || !rsc.Is(ResourceFlags.Managed) || rsc.Is(ResourceFlags.Failed)
            || rsc.Is(ResourceFlags.StartPending))
        {
            return false;
        }
        if (current is null || current.Details.Unclean)
        {
            return false;
        }
        return rsc.AllocatedTo is not null && !rsc.AllocatedTo.Details.Unclean;
    }

    public static void Create(Resource rsc, Node current)
    {
        var ws = rsc.Cluster;
        var start = ActionFactory.StartAction(rsc, rsc.AllocatedTo, true);
        var stop = ActionFactory.StopAction(rsc, current, true);
        SchedAction? migrateTo = null;
        if (rsc.PartialMigrationTarget is null)
        {
            migrateTo = ActionFactory.CustomAction(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateTo, 0), ActionFactory.MigrateTo, current, true, true);
        }
        var migrateFrom = ActionFactory.CustomAction(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateFrom, 0), ActionFactory.MigrateFrom, rsc.AllocatedTo, true, true);
        if (migrateTo is not null || rsc.PartialMigrationTarget is not null)
        {
            start.Set(ActionFlags.MigrateRunnable);
            stop.Set(ActionFlags.MigrateRunnable);
            start.Set(ActionFlags.Pseudo);
            if (rsc.PartialMigrationTarget is null)
            {
                migrateFrom.Set(ActionFlags.MigrateRunnable);
                if (migrateTo is not null)
                {
                    migrateTo.Set(ActionFlags.MigrateRunnable);
                    migrateTo.Needs = start.Needs;
                }
                Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.Monitor, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateTo, 0), null, OrderFlags.Optional);
                Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateTo, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateFrom, 0), null,
                    OrderFlags.Optional | OrderFlags.ImpliesFirstMigratable);
            }
            else
            {
                migrateFrom.Set(ActionFlags.MigrateRunnable);
                migrateFrom.Needs = start.Needs;
                Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.Monitor, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateFrom, 0), null, OrderFlags.Optional);
            }
            Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateFrom, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.Stop, 0), null,
                OrderFlags.Optional | OrderFlags.ImpliesFirstMigratable);
            Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, ActionFactory.MigrateFrom, 0), null, rsc, OpKeys.Key(rsc.Id, ActionFactory.Start, 0), null,
                OrderFlags.Optional | OrderFlags.ImpliesFirstMigratable | OrderFlags.PseudoLeft);
        }
        if (migrateTo is not null)
        {
            AddMigrationMeta(migrateTo, current, rsc.AllocatedTo!);
            if (!rsc.IsRemoteNode)
            {
                migrateTo.Meta.TryAdd("record-pending", "true");
            }
        }
        AddMigrationMeta(migrateFrom, current, rsc.AllocatedTo!);
    }

    private static void AddMigrationMeta(SchedAction action, Node source, Node target)
    {
        action.Meta.TryAdd("migrate_source", source.Uname);
        action.Meta.TryAdd("migrate_target", target.Uname);
    }

    /// <summary>Stops the source of a migration whose both halves completed but whose source was never stopped.</summary>
    public static void AbortDanglingMigration(Resource rsc, Node danglingSource)
    {
        var cleanup = rsc.Cluster.Is(ClusterFlags.RemoveAfterStop);
        var stop = ActionFactory.StopAction(rsc, danglingSource, false);
        stop.Set(ActionFlags.Dangle);
        if (cleanup)
        {
            ResourceActions.ScheduleCleanup(rsc, danglingSource, false);
        }
    }

    /// <summary>Adds the migrate_to/migrate_from orderings implied by an ordering between migratable resources.</summary>
    public static void OrderMigrationEquivalents(WorkingSet ws, OrderingConstraint order)
    {
        var first = order.FirstRsc;
        var then = order.ThenRsc;
        if (first is null || then is null || ReferenceEquals(first, then) || then.IsAncestorOf(first) || first.IsAncestorOf(then))
        {
            return;
        }
        var firstMigratable = first.Is(ResourceFlags.AllowMigrate);
        var thenMigratable = then.Is(ResourceFlags.AllowMigrate);
        if (!firstMigratable && !thenMigratable)
        {
            return;
        }
        var firstTask = TaskOf(order.FirstAction, order.FirstTask);
        var thenTask = TaskOf(order.ThenAction, order.ThenTask);
        if (firstTask == ActionFactory.Start && thenTask == ActionFactory.Start)
        {
            var flags = OrderFlags.Optional;
            if (firstMigratable && thenMigratable)
            {
                Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.MigrateFrom, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateTo, 0), null, flags);
            }
            if (thenMigratable)
            {
                if (firstMigratable)
                {
                    flags |= OrderFlags.ApplyFirstNonMigratable;
                }
                Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Start, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateTo, 0), null, flags);
            }
        }
        else if (thenMigratable && firstTask == ActionFactory.Stop && thenTask == ActionFactory.Stop)
        {
            var flags = OrderFlags.Optional;
            if (firstMigratable)
            {
                flags |= OrderFlags.ApplyFirstNonMigratable;
            }
            Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Stop, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateTo, 0), null, flags);
            if (then.PartialMigrationTarget is not null)
            {
                Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Stop, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateFrom, 0), null, flags);
            }
        }
        else if (firstTask == ActionFactory.Promote && thenTask == ActionFactory.Start)
        {
            if (thenMigratable)
            {
                Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Promote, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateTo, 0), null, OrderFlags.Optional);
            }
        }
        else if (firstTask == ActionFactory.Demote && thenTask == ActionFactory.Stop)
        {
            if (thenMigratable)
            {
                Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Demote, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateTo, 0), null, OrderFlags.Optional);
                if (then.PartialMigrationTarget is not null)
                {
                    Orderings.New(ws, first, OpKeys.Key(first.Id, ActionFactory.Demote, 0), null, then, OpKeys.Key(then.Id, ActionFactory.MigrateFrom, 0), null, OrderFlags.Optional);
                }
            }
        }
    }

    private static string? TaskOf(SchedAction? action, string? key)
    {
        if (action is not null)
        {
            return action.Task;
        }
        return key is not null && OpKeys.TryParse(key, out _, out var task, out _) ? task : null;
    }
}
