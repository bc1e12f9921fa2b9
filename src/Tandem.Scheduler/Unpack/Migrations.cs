using Tandem.Model.Resources;
using Tandem.Model.Status;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Interprets live-migration history (migrate_to on the source, migrate_from on the target): completed,
/// partial (to be continued or undone), dangling (source still to be stopped) or failed.
/// </summary>
internal static class Migrations
{
    public static void UnpackMigrateToSuccess(WorkingSet ws, StatusUnpacker unpacker, Resource rsc, Node node, OperationRecord op)
    {
        var source = op.MigrateSource;
        var target = op.MigrateTarget;
        if (source is null || target is null || source != node.Uname)
        {
            return;
        }
        var sourceNewerOp = NonMonitorAfter(unpacker, rsc.Id, source, op, sameNode: true);
        var migrateFrom = FindLrmOp(unpacker, rsc.Id, ActionFactory.MigrateFrom, target, source, -1);
        if (sourceNewerOp && migrateFrom is not null)
        {
            return;
        }
        var targetNewerState = NewerStateAfterMigrate(unpacker, rsc.Id, target, op, migrateFrom);
        if (sourceNewerOp && targetNewerState)
        {
            return;
        }
        rsc.Role = Role.Started;
        var targetNode = ws.FindNode(target);
        var sourceNode = ws.FindNode(source);
        var fromRc = migrateFrom?.RcCode ?? 0;
        var fromStatus = migrateFrom?.OpStatus ?? 0;
        if (migrateFrom is not null && fromRc == ExecStatus.OcfOk && fromStatus == ExecStatus.Done)
        {
            // Both halves succeeded: the source still needs its stop ("dangling" migration).
            rsc.Role = Role.Stopped;
            rsc.DanglingMigrations.Insert(0, node);
        }
        else if (migrateFrom is not null && fromStatus != ExecStatus.Pending)
        {
            if (!targetNewerState && targetNode is not null && targetNode.Details.Online)
            {
                Running.AddRunning(rsc, targetNode, failed: true);
            }
            else
            {
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                rsc.Clear(ResourceFlags.AllowMigrate);
            }
        }
        else
        {
            if (!targetNewerState && targetNode is not null && targetNode.Details.Online)
            {
                Running.AddRunning(rsc, targetNode, failed: false);
                if (sourceNode is not null && sourceNode.Details.Online)
                {
                    rsc.PartialMigrationTarget = targetNode;
                    rsc.PartialMigrationSource = sourceNode;
                }
            }
            else if (!sourceNewerOp)
            {
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                rsc.Clear(ResourceFlags.AllowMigrate);
            }
        }
    }

    public static void UnpackMigrateToFailure(WorkingSet ws, StatusUnpacker unpacker, Resource rsc, Node node, OperationRecord op)
    {
        var source = op.MigrateSource;
        var target = op.MigrateTarget;
        if (source is null || target is null || source != node.Uname)
        {
            return;
        }
        rsc.Role = Role.Started;
        var targetMigrateFrom = FindLrmOp(unpacker, rsc.Id, ActionFactory.MigrateFrom, target, source, ExecStatus.OcfOk);
        if (!UnknownOnNode(unpacker, rsc.Id, target)
            && !NewerStateAfterMigrate(unpacker, rsc.Id, target, op, targetMigrateFrom))
        {
            var targetNode = ws.FindNode(target);
            if (targetNode is not null && targetNode.Details.Online)
            {
                Running.AddRunning(rsc, targetNode, failed: false);
            }
        }
        else if (!NonMonitorAfter(unpacker, rsc.Id, source, op, sameNode: true))
        {
            rsc.DanglingMigrations.Insert(0, node);
        }
    }

    public static void UnpackMigrateFromFailure(WorkingSet ws, StatusUnpacker unpacker, Resource rsc, Node node, OperationRecord op)
    {
        var source = op.MigrateSource;
        var target = op.MigrateTarget;
        if (source is null || target is null || target != node.Uname)
        {
            return;
        }
        rsc.Role = Role.Started;
        var sourceMigrateTo = FindLrmOp(unpacker, rsc.Id, ActionFactory.MigrateTo, source, target, ExecStatus.OcfOk);
        if (!UnknownOnNode(unpacker, rsc.Id, source)
            && !NewerStateAfterMigrate(unpacker, rsc.Id, source, sourceMigrateTo, op))
        {
            var sourceNode = ws.FindNode(source);
            if (sourceNode is not null && sourceNode.Details.Online)
            {
                Running.AddRunning(rsc, sourceNode, failed: true);
            }
        }
    }

    /// <summary>
    /// The single history entry with this task on the node (find_lrm_op); null when none or more than
    /// one match, or when a target result is given and the entry does not have it.
    /// </summary>
    private static OperationRecord? FindLrmOp(StatusUnpacker unpacker, string rscId, string op, string node, string? source, int targetRc)
    {
        var history = unpacker.FindHistory(rscId, node);
        if (history is null)
        {
            return null;
        }
        OperationRecord? match = null;
        var count = 0;
        foreach (var entry in history.Operations)
        {
            if (entry.Operation != op)
            {
                continue;
            }
            if (source is not null && op == ActionFactory.MigrateTo && entry.MigrateTarget != source)
            {
                continue;
            }
            if (source is not null && op == ActionFactory.MigrateFrom && entry.MigrateSource != source)
            {
                continue;
            }
            match = entry;
            count++;
        }
        if (count != 1)
        {
            return null;
        }
        if (targetRc >= 0 && ((match!.RcCode ?? ExecStatus.OcfUnknownError) != targetRc || (match.OpStatus ?? ExecStatus.Error) != ExecStatus.Done))
        {
            return null;
        }
        return match;
    }

    private static bool UnknownOnNode(StatusUnpacker unpacker, string rscId, string node)
    {
        var history = unpacker.FindHistory(rscId, node);
        return history is null || history.Operations.Count == 0;
    }

    private static bool MonitorNotRunningAfter(StatusUnpacker unpacker, string rscId, string node, OperationRecord op, bool sameNode)
    {
        var monitor = FindLrmOp(unpacker, rscId, ActionFactory.Monitor, node, null, ExecStatus.OcfNotRunning);
        return monitor is not null && OperationHistory.IsNewer(monitor, op, sameNode) > 0;
    }

    private static bool NonMonitorAfter(StatusUnpacker unpacker, string rscId, string node, OperationRecord op, bool sameNode)
    {
        var history = unpacker.FindHistory(rscId, node);
        if (history is null)
        {
            return false;
        }
        foreach (var entry in history.Operations)
        {
            if (ReferenceEquals(entry, op))
            {
                continue;
            }
            if (entry.Operation is ActionFactory.Start or ActionFactory.Stop or ActionFactory.MigrateTo or ActionFactory.MigrateFrom
                && OperationHistory.IsNewer(entry, op, sameNode) > 0)
            {
                return true;
            }
        }
        return false;
    }

    private static bool NewerStateAfterMigrate(StatusUnpacker unpacker, string rscId, string node, OperationRecord? migrateTo, OperationRecord? migrateFrom)
    {
        var op = migrateFrom ?? migrateTo!;
        var source = op.MigrateSource;
        var target = op.MigrateTarget;
        var sameNode = false;
        if (string.Equals(node, target, StringComparison.OrdinalIgnoreCase))
        {
            if (migrateFrom is not null)
            {
                op = migrateFrom;
                sameNode = true;
            }
            else
            {
                op = migrateTo!;
            }
        }
        else if (string.Equals(node, source, StringComparison.OrdinalIgnoreCase))
        {
            if (migrateTo is not null)
            {
                op = migrateTo;
                sameNode = true;
            }
            else
            {
                op = migrateFrom!;
            }
        }
        return NonMonitorAfter(unpacker, rscId, node, op, sameNode) || MonitorNotRunningAfter(unpacker, rscId, node, op, sameNode);
    }
}
