using Tandem.Model.Resources;
using Tandem.Model.Status;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Reads the status section into the working set: which nodes are online, standby, shutting down or
/// unclean; the node attributes; and, from each resource's operation history on each node, its current
/// role there, its failures and what they imply (recovery, bans, fencing, blocking).
/// </summary>
internal sealed class StatusUnpacker(WorkingSet ws)
{
    private readonly Dictionary<(string Node, string Rsc), ResourceHistory> _historyIndex = BuildIndex(ws.Status);

    private static Dictionary<(string, string), ResourceHistory> BuildIndex(StatusSection status)
    {
        var index = new Dictionary<(string, string), ResourceHistory>();
        foreach (var state in status.Nodes)
        {
            foreach (var rsc in state.Resources)
            {
                index.TryAdd((state.Uname.ToLowerInvariant(), rsc.Id), rsc);
            }
        }
        return index;
    }

    public void Unpack()
    {
        foreach (var ticket in ws.Status.Tickets)
        {
            UnpackTicket(ticket);
        }
        foreach (var state in ws.Status.Nodes)
        {
            UnpackNodeState(state);
        }
        while (UnpackNodeHistory(fence: false))
        {
        }
        UnpackNodeHistory(ws.Is(ClusterFlags.StonithEnabled));
    }

    private void UnpackTicket(TicketState state)
    {
        if (!ws.Tickets.TryGetValue(state.Id, out var ticket))
        {
            ticket = new Ticket(state.Id);
            ws.Tickets[state.Id] = ticket;
        }
        foreach (var (name, value) in state.Attributes)
        {
            switch (name)
            {
                case "granted":
                    ticket.Granted = PcmkText.IsTrue(value);
                    break;
                case "last-granted":
                    ticket.LastGranted = StatusXmlReader.ParseLong(value) ?? -1;
                    break;
                case "standby":
                    ticket.Standby = PcmkText.IsTrue(value);
                    break;
            }
        }
    }

    private void UnpackNodeState(NodeState state)
    {
        var node = ws.FindNodeAny(state.Id, state.Uname);
        if (node is null)
        {
            return;
        }
        var details = node.Details;
        if (details.IsRemoteOrGuest)
        {
            details.RemoteWasFenced = (StatusXmlReader.ParseLong(state.NodeFenced) ?? 0) != 0;
            return;
        }
        NodeAttributes.Add(ws, details, NvSets.FromStatus(state.TransientAttributes), overwrite: true);
        if (PcmkText.IsTrue(details.Attribute("standby")))
        {
            details.Standby = true;
        }
        if (PcmkText.IsTrue(details.Attribute("maintenance")))
        {
            details.Maintenance = true;
        }
        details.Unclean = false;
        details.Unseen = false;
        NodeOnlineStatus.Determine(ws, state, node);
        if (!ws.Is(ClusterFlags.HaveQuorum) && details.Online && ws.NoQuorumPolicy == NoQuorumPolicy.Suicide)
        {
            NodeFencing.FenceNode(ws, node, "cluster does not have quorum", false);
        }
    }

    /// <summary>One pass over the node histories; true when some history was unpacked (another pass may help).</summary>
    private bool UnpackNodeHistory(bool fence)
    {
        var any = false;
        foreach (var state in ws.Status.Nodes)
        {
            var node = ws.FindNodeAny(state.Id, state.Uname);
            if (node is null || node.Details.Unpacked)
            {
                continue;
            }
            var details = node.Details;
            if (fence)
            {
                // Processing every remaining node.
            }
            else if (details.IsGuest)
            {
                var rsc = details.RemoteRsc;
                if (rsc is null || rsc.Role != Role.Started || rsc.Container!.Role != Role.Started)
                {
                    continue;
                }
            }
            else if (details.IsRemoteOrGuest)
            {
                var rsc = details.RemoteRsc;
                if (rsc is null || (!ws.Is(ClusterFlags.ShutdownLock) && rsc.Role != Role.Started))
                {
                    continue;
                }
            }
            else if (!ws.Is(ClusterFlags.StonithEnabled) && !ws.Is(ClusterFlags.ShutdownLock) && !details.Online)
            {
                // Offline nodes wait until online ones are done, so active clone instances are numbered first.
                continue;
            }
            if (details.IsRemoteOrGuest)
            {
                RemoteNodes.DetermineOnline(ws, node);
            }
            details.Unpacked = true;
            foreach (var history in state.Resources)
            {
                UnpackLrmResource(node, history);
            }
            any = true;
        }
        return any;
    }

    private Resource? UnpackLrmResource(Node node, ResourceHistory history)
    {
        if (history.Operations.Count == 0 && !ws.Is(ClusterFlags.ShutdownLock))
        {
            return null;
        }
        var rsc = FindResource(node, history.Id);
        if (rsc is null)
        {
            if (history.Operations.Count == 0)
            {
                return null;
            }
            rsc = ProcessOrphan(history, node);
            if (rsc is null)
            {
                return null;
            }
        }
        if (ws.Is(ClusterFlags.ShutdownLock) && history.ShutdownLock is { } lockTime && lockTime != 0)
        {
            if (ws.ShutdownLockSeconds > 0 && ws.Now > lockTime + ws.ShutdownLockSeconds)
            {
                ActionFactory.ClearResourceHistory(rsc, node);
            }
            else
            {
                rsc.LockNode = node.Details;
                rsc.LockTime = lockTime;
            }
        }

        var savedRole = rsc.Role;
        rsc.Role = Role.Unknown;
        var sorted = OperationHistory.SortByCallId(history.Operations);
        OperationRecord? migrateOp = null;
        OperationRecord? lastFailure = null;
        var onFail = OnFail.Ignore;
        foreach (var op in sorted)
        {
            if (op.Operation == ActionFactory.MigrateFrom)
            {
                migrateOp = op;
            }
            UnpackRscOp(rsc, node, op, ref lastFailure, ref onFail);
        }
        OperationHistory.CalculateActiveOps(sorted, out var startIndex, out var stopIndex);
        ProcessRecurring(node, rsc, startIndex, stopIndex, sorted);
        ProcessRscState(rsc, node, onFail, migrateOp);

        if (ConfigUnpacker.TryGetTargetRole(rsc, out var requested))
        {
            if (rsc.NextRole == Role.Unknown || requested < rsc.NextRole)
            {
                rsc.NextRole = requested;
            }
        }
        if (savedRole > rsc.Role)
        {
            rsc.Role = savedRole;
        }
        return rsc;
    }

    private Resource? FindResource(Node node, string rscId)
    {
        Resource? parent = null;
        var rsc = ws.ResourceNames.First(rscId);
        if (rsc is null)
        {
            // An anonymous clone instance may be recorded under any instance number.
            var clone0 = ws.ResourceNames.First(CloneIds.Zero(rscId));
            if (clone0 is not null && !clone0.Is(ResourceFlags.Unique))
            {
                rsc = clone0;
                parent = clone0.Top;
            }
        }
        else if (rsc.Variant != ResourceVariant.Primitive)
        {
            return null;
        }
        else
        {
            parent = rsc.Top;
        }
        if (parent is not null && parent.IsAnonClone)
        {
            rsc = FindAnonymousClone(node, parent, CloneIds.Strip(rscId));
        }
        if (rsc is not null && !string.Equals(rscId, rsc.Id, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(rscId, rsc.CloneName, StringComparison.OrdinalIgnoreCase))
        {
            rsc.CloneName = rscId;
        }
        return rsc;
    }

    private Resource FindAnonymousClone(Node node, Resource parent, string rscId)
    {
        Resource? rsc = null;
        Resource? inactiveInstance = null;
        var skipInactive = false;
        foreach (var child in parent.Children)
        {
            if (rsc is not null)
            {
                break;
            }
            var locations = new List<Node>();
            child.Location(locations, 2);
            if (locations.Count > 0)
            {
                if (ReferenceEquals(locations[0].Details, node.Details))
                {
                    rsc = child.FindRsc(rscId, null, FindFlags.Clone);
                    if (rsc is not null)
                    {
                        if (rsc.RunningOn.Count > 0)
                        {
                            // A second history entry of an anonymous instance on one node is an orphan.
                            skipInactive = true;
                            rsc = null;
                        }
                    }
                }
            }
            else if (!skipInactive && inactiveInstance is null && !child.Is(ResourceFlags.Block))
            {
                inactiveInstance = child.FindRsc(rscId, null, FindFlags.Clone);
                if (inactiveInstance?.PendingNode is not null && !ReferenceEquals(inactiveInstance.PendingNode, node.Details))
                {
                    inactiveInstance = null;
                }
            }
        }
        if (rsc is null && !skipInactive && inactiveInstance is not null)
        {
            rsc = inactiveInstance;
        }
        if (rsc is not null && !rsc.Is(ResourceFlags.NeedsFencing) && (!node.Details.Online || node.Details.Unclean)
            && !node.Details.IsGuest && !IsUniversalClone(parent))
        {
            // Instances on unclean nodes that need no fencing must not use up an instance number.
            rsc = null;
        }
        rsc ??= CreateAnonymousOrphan(parent, rscId);
        return rsc;
    }

    private bool IsUniversalClone(Resource clone) => clone.IsClone && clone.Clone!.CloneMax == ws.Nodes.Count;

    private static Resource CreateAnonymousOrphan(Resource parent, string rscId)
    {
        var top = parent.Clone!.CreateInstance(parent);
        return top.FindRsc(rscId, null, FindFlags.Clone)!;
    }

    private Resource? ProcessOrphan(ResourceHistory history, Node node)
    {
        var rsc = ws.CreateOrphan(history);
        if (rsc is null)
        {
            return null;
        }
        if (history.Container is not null)
        {
            rsc.Set(ResourceFlags.OrphanContainerFiller);
        }
        rsc.Set(ResourceFlags.Orphan);
        ws.Resources.Add(rsc);
        ws.ResourceNames.NoteTree(rsc);
        if (!ws.Is(ClusterFlags.StopRscOrphans))
        {
            rsc.Clear(ResourceFlags.Managed);
        }
        else
        {
            NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__orphan_do_not_run__");
        }
        return rsc;
    }

    private void ProcessRecurring(Node node, Resource rsc, int startIndex, int stopIndex, List<OperationRecord> sorted)
    {
        var counter = -1;
        foreach (var op in sorted)
        {
            counter++;
            if (!node.Details.Online)
            {
                break;
            }
            if (startIndex < stopIndex && counter <= stopIndex)
            {
                continue;
            }
            if (counter < startIndex)
            {
                continue;
            }
            if (op.IntervalMs == 0 || op.OpStatus == -1)
            {
                continue;
            }
            ActionFactory.CustomAction(ws, rsc, OpKeys.Key(rsc.Id, op.Operation, op.IntervalMs), op.Operation, node, true, true);
        }
    }

    private void ProcessRscState(Resource rsc, Node node, OnFail onFail, OperationRecord? migrateOp)
    {
        _ = migrateOp;
        if (rsc.Role != Role.Unknown)
        {
            for (var iter = rsc; iter is not null; iter = iter.Parent)
            {
                if (iter.KnownOn.Get(node.Id) is null)
                {
                    iter.KnownOn.Set(node.Copy());
                }
                if (iter.Is(ResourceFlags.Unique))
                {
                    break;
                }
            }
        }
        if (rsc.Role > Role.Stopped && !node.Details.Online && !node.Details.Maintenance && rsc.Is(ResourceFlags.Managed))
        {
            var shouldFence = false;
            string? reason = null;
            if (node.Details.IsGuest)
            {
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                shouldFence = true;
            }
            else if (ws.Is(ClusterFlags.StonithEnabled))
            {
                if (node.Details.IsRemote && node.Details.RemoteRsc is not null && !node.Details.RemoteRsc.Is(ResourceFlags.Failed))
                {
                    node.Details.Unseen = true;
                    reason = $"{rsc.Id} is active there (fencing will be revoked if remote connection can be re-established elsewhere)";
                }
                shouldFence = true;
            }
            if (shouldFence)
            {
                NodeFencing.FenceNode(ws, node, reason ?? $"{rsc.Id} is thought to be active there", false);
            }
        }

        var savedOnFail = onFail;
        if (node.Details.Unclean)
        {
            // Nothing else to do: the node will be fenced.
            onFail = OnFail.Ignore;
        }
        switch (onFail)
        {
            case OnFail.Ignore:
                break;
            case OnFail.Demote:
                rsc.Set(ResourceFlags.Failed);
                ActionFactory.DemoteAction(rsc, node, false);
                break;
            case OnFail.Fence:
                NodeFencing.FenceNode(ws, node, $"{rsc.Id} failed there", false);
                break;
            case OnFail.Standby:
                node.Details.Standby = true;
                node.Details.StandbyOnFail = true;
                break;
            case OnFail.Block:
                rsc.Clear(ResourceFlags.Managed);
                rsc.Set(ResourceFlags.Block);
                break;
            case OnFail.Migrate:
                NodeScores.ResourceLocation(rsc, node, -Scores.Infinity, "__action_migration_auto__");
                break;
            case OnFail.Stop:
                rsc.NextRole = Role.Stopped;
                break;
            case OnFail.Recover:
                if (rsc.Role != Role.Stopped && rsc.Role != Role.Unknown)
                {
                    rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                    ActionFactory.StopAction(rsc, node, false);
                }
                break;
            case OnFail.RestartContainer:
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                if (rsc.Container is not null)
                {
                    ActionFactory.StopAction(rsc.Container, node, false);
                }
                else if (rsc.Role != Role.Stopped && rsc.Role != Role.Unknown)
                {
                    ActionFactory.StopAction(rsc, node, false);
                }
                break;
            case OnFail.ResetRemote:
                rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                if (ws.Is(ClusterFlags.StonithEnabled) && rsc.IsRemoteNode)
                {
                    var remote = ws.FindNode(rsc.Id);
                    if (remote is not null && remote.Details.IsRemote && !remote.Details.RemoteWasFenced)
                    {
                        NodeFencing.FenceNode(ws, remote, "remote connection is unrecoverable", false);
                    }
                }
                if (rsc.Role > Role.Stopped)
                {
                    ActionFactory.StopAction(rsc, node, false);
                }
                if (rsc.RemoteReconnectMs > 0)
                {
                    rsc.NextRole = Role.Stopped;
                }
                break;
        }
        if (rsc.Is(ResourceFlags.Failed) && rsc.IsRemoteNode)
        {
            var remote = ws.FindNode(rsc.Id);
            if (remote is not null && remote.Details.Unclean)
            {
                remote.Details.Unseen = false;
            }
        }

        if (rsc.Role != Role.Stopped && rsc.Role != Role.Unknown)
        {
            Running.AddRunning(rsc, node, savedOnFail != OnFail.Ignore);
            switch (onFail)
            {
                case OnFail.Ignore:
                    break;
                case OnFail.Demote:
                case OnFail.Block:
                    rsc.Set(ResourceFlags.Failed);
                    break;
                default:
                    rsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                    break;
            }
        }
        else if (rsc.CloneName is not null && rsc.CloneName.Contains(':', StringComparison.Ordinal))
        {
            // Old status sections named instances; forget the name once stopped so it is not an orphan.
            rsc.CloneName = null;
        }
        else
        {
            foreach (var stop in ActionFactory.ResourceActions(rsc, node, ActionFactory.Stop, false))
            {
                stop.Set(ActionFlags.Optional);
            }
        }

        if (rsc.Role == Role.Stopped && rsc.PartialMigrationSource is not null
            && ReferenceEquals(rsc.PartialMigrationSource.Details, node.Details)
            && rsc.PartialMigrationTarget is not null && rsc.RunningOn.Count > 0)
        {
            // A stop after migrate_to on the source does not stop the partially migrated target.
            rsc.Role = Role.Started;
        }
    }

    private void UnpackRscOp(Resource rsc, Node node, OperationRecord op, ref OperationRecord? lastFailure, ref OnFail onFail)
    {
        var task = op.Operation;
        if (task is ActionFactory.Notify or "meta-data")
        {
            return;
        }
        var status = op.OpStatus ?? ExecStatus.Unknown;
        if (status < ExecStatus.Pending || status > ExecStatus.NoSecrets)
        {
            return;
        }
        var rc = op.RcCode ?? 0;
        var targetRc = op.TargetRc;
        var parent = rsc.Is(ResourceFlags.Unique) ? rsc : rsc.Top;
        var taskKey = op.KeyOrId;

        var expired = status != ExecStatus.NotInstalled && CheckOperationExpiry(rsc, node, rc, op);
        var oldRc = rc;
        var oldTargetRc = targetRc;
        RemapOperation(op, rsc, node, ref onFail, targetRc, ref rc, ref status);
        var maskableProbeFailure = MaskProbeFailure(op);

        if (expired && maskableProbeFailure && oldRc != oldTargetRc)
        {
            if (rsc.Role <= Role.Stopped)
            {
                rsc.Role = Role.Unknown;
            }
            return;
        }
        if (expired && rc != targetRc)
        {
            if (op.IntervalMs == 0)
            {
                return;
            }
            if (node.Details.Online && !node.Details.Unclean)
            {
                // Reschedule the recurring monitor by forcing its restart digest to mismatch.
                _rescheduleExpired.Add(op);
                return;
            }
        }
        if (maskableProbeFailure)
        {
            UpdateResourceState(rsc, node, op, task, targetRc, lastFailure, ref onFail);
            RecordFailedOp(op, node, rsc);
            NodeScores.ResourceLocation(parent, node, -Scores.Infinity, "masked-probe-failure");
            return;
        }
        switch (status)
        {
            case ExecStatus.Cancelled:
                return;
            case ExecStatus.Pending:
                if (task == ActionFactory.Start)
                {
                    rsc.Set(ResourceFlags.StartPending);
                    SetActive(rsc);
                }
                else if (task == ActionFactory.Promote)
                {
                    rsc.Role = Role.Promoted;
                }
                else if (task == ActionFactory.MigrateTo && node.Details.Unclean)
                {
                    var target = op.MigrateTarget is null ? null : ws.FindNode(op.MigrateTarget);
                    if (target is not null)
                    {
                        ActionFactory.StopAction(rsc, target, false);
                    }
                }
                if (rsc.PendingTask is null && (op.IntervalMs != 0 || task != ActionFactory.Monitor))
                {
                    rsc.PendingTask = task;
                    rsc.PendingNode = node.Details;
                }
                return;
            case ExecStatus.Done:
                UpdateResourceState(rsc, node, op, task, rc, lastFailure, ref onFail);
                return;
            case ExecStatus.NotInstalled:
                {
                    var strategy = ActionOnFail(rsc, taskKey, task);
                    if (strategy == OnFail.Ignore)
                    {
                        onFail = OnFail.Migrate;
                    }
                    NodeScores.ResourceLocation(parent, node, -Scores.Infinity, "hard-error");
                    UnpackRscOpFailure(rsc, node, rc, op, ref lastFailure, ref onFail);
                    return;
                }
            case ExecStatus.NotConnected:
                if (node.Details.IsRemoteOrGuest && node.Details.RemoteRsc is not null
                    && node.Details.RemoteRsc.Is(ResourceFlags.Managed))
                {
                    node.Details.RemoteRsc.Set(ResourceFlags.Failed | ResourceFlags.Stop);
                }
                break;
            case ExecStatus.NoFenceDevice:
            case ExecStatus.NoSecrets:
                status = ExecStatus.ErrorHard;
                break;
        }

        var failureStrategy = ActionOnFail(rsc, taskKey, task);
        if (failureStrategy == OnFail.Ignore || (failureStrategy == OnFail.RestartContainer && task == ActionFactory.Stop))
        {
            UpdateResourceState(rsc, node, op, task, targetRc, lastFailure, ref onFail);
            rsc.Set(ResourceFlags.FailureIgnored);
            RecordFailedOp(op, node, rsc);
            if (failureStrategy == OnFail.RestartContainer && CompareOnFail(onFail, OnFail.Recover) <= 0)
            {
                onFail = failureStrategy;
            }
        }
        else
        {
            UnpackRscOpFailure(rsc, node, rc, op, ref lastFailure, ref onFail);
            if (status == ExecStatus.ErrorHard)
            {
                NodeScores.ResourceLocation(parent, node, -Scores.Infinity, "hard-error");
            }
            else if (status == ExecStatus.ErrorFatal)
            {
                NodeScores.ResourceLocation(parent, null, -Scores.Infinity, "fatal-error");
            }
        }
    }

    private readonly HashSet<OperationRecord> _rescheduleExpired = new(ReferenceEqualityComparer.Instance);

    /// <summary>Recurring monitors whose failure expired and must be rescheduled (restart digest forced to differ).</summary>
    public IReadOnlySet<OperationRecord> RescheduleExpired => _rescheduleExpired;

    private static bool MaskProbeFailure(OperationRecord op) =>
        op.IsProbe && (op.RcCode is ExecStatus.OcfNotInstalled or ExecStatus.OcfInvalidParam || op.OpStatus == ExecStatus.NotInstalled);

    private OnFail ActionOnFail(Resource rsc, string key, string task)
    {
        var action = ActionFactory.CustomAction(ws, rsc, key, task, null, true, false);
        return action.OnFail;
    }

    private bool CheckOperationExpiry(Resource rsc, Node node, int rc, OperationRecord op)
    {
        var expired = false;
        var isLastFailure = op.Id.EndsWith("_last_failure_0", StringComparison.Ordinal);
        var unexpiredFailCount = 0;
        string? clearReason = null;
        if (rsc.FailureTimeout > 0 && op.LastRcChange is { } lastRun)
        {
            if (ws.Now >= lastRun + rsc.FailureTimeout && !ShouldIgnoreFailureTimeout(rsc, op))
            {
                expired = true;
            }
            unexpiredFailCount = FailCounts.Get(ws, node.Details, rsc, out var lastFailure, effective: true, fillers: false, op);
            lastFailure += rsc.FailureTimeout + 1;
            if (unexpiredFailCount != 0 && ws.Now < lastFailure)
            {
                ws.UpdateRecheckTime(lastFailure);
            }
        }
        if (expired)
        {
            if (FailCounts.Get(ws, node.Details, rsc, effective: false, fillers: false, op) != 0)
            {
                if (unexpiredFailCount == 0)
                {
                    clearReason = "it expired";
                }
                else
                {
                    expired = false;
                }
            }
            else if (isLastFailure && rsc.RemoteReconnectMs > 0)
            {
                clearReason = "reconnect interval is set";
            }
        }
        if (!expired && isLastFailure && Digests.ShouldClearForParamChange(ws, op, rsc, node))
        {
            clearReason = "resource parameters have changed";
        }
        if (clearReason is not null)
        {
            var clear = ActionFactory.ClearFailcountAction(rsc, node);
            if (ws.Is(ClusterFlags.StonithEnabled) && rsc.RemoteReconnectMs > 0)
            {
                var remote = ws.FindNode(rsc.Id);
                if (remote is not null)
                {
                    var fence = ActionFactory.FenceOp(ws, remote, null, true, null, false);
                    ActionFactory.OrderActions(fence, clear, OrderFlags.ImpliesThen);
                }
            }
        }
        if (expired && op.IntervalMs == 0 && op.Operation == ActionFactory.Monitor
            && rc is ExecStatus.OcfOk or ExecStatus.OcfNotRunning or ExecStatus.OcfRunningPromoted
                or ExecStatus.OcfDegraded or ExecStatus.OcfDegradedPromoted)
        {
            // Probes with these results never expire.
            expired = false;
        }
        return expired;
    }

    private bool ShouldIgnoreFailureTimeout(Resource rsc, OperationRecord op)
    {
        if (rsc.RemoteReconnectMs > 0 && ws.Is(ClusterFlags.StonithEnabled) && op.IntervalMs != 0 && op.Operation == ActionFactory.Monitor)
        {
            var remote = ws.FindNode(rsc.Id);
            if (remote is not null && !remote.Details.RemoteWasFenced)
            {
                return true;
            }
        }
        return false;
    }

    private void RemapOperation(OperationRecord op, Resource rsc, Node node, ref OnFail onFail, int targetRc, ref int rc, ref int status)
    {
        var task = op.Operation;
        if (task == ActionFactory.Monitor)
        {
            var remapped = rc switch
            {
                ExecStatus.OcfDegraded => ExecStatus.OcfOk,
                ExecStatus.OcfDegradedPromoted => ExecStatus.OcfRunningPromoted,
                _ => rc,
            };
            if (rc != remapped)
            {
                if (!node.Details.Shutdown || node.Details.Online)
                {
                    RecordFailedOp(op, node, rsc);
                }
                rc = remapped;
            }
        }
        if (MaskProbeFailure(op))
        {
            status = ExecStatus.Done;
            rc = ExecStatus.OcfNotRunning;
        }
        if (status != ExecStatus.Done && status != ExecStatus.Error)
        {
            return;
        }
        status = ExecStatus.Done;
        var isProbe = op.IsProbe;
        if (targetRc < 0)
        {
            status = ExecStatus.Error;
        }
        else if (targetRc != rc)
        {
            status = ExecStatus.Error;
        }
        switch (rc)
        {
            case ExecStatus.OcfOk:
                if (isProbe && targetRc == ExecStatus.OcfNotRunning)
                {
                    status = ExecStatus.Done;
                }
                break;
            case ExecStatus.OcfNotRunning:
                if (isProbe || targetRc == rc || !rsc.Is(ResourceFlags.Managed))
                {
                    status = ExecStatus.Done;
                    rsc.Role = Role.Stopped;
                    onFail = OnFail.Ignore;
                    rsc.NextRole = Role.Unknown;
                }
                break;
            case ExecStatus.OcfRunningPromoted:
                if (isProbe && rc != targetRc)
                {
                    status = ExecStatus.Done;
                }
                rsc.Role = Role.Promoted;
                break;
            case ExecStatus.OcfDegradedPromoted:
            case ExecStatus.OcfFailedPromoted:
                rsc.Role = Role.Promoted;
                status = ExecStatus.Error;
                break;
            case ExecStatus.OcfNotConfigured:
                status = ExecStatus.ErrorFatal;
                break;
            case ExecStatus.OcfUnimplementFeature:
                if (op.IntervalMs == 0)
                {
                    CheckRecoverable(rsc, node, task);
                    status = ExecStatus.ErrorHard;
                }
                else
                {
                    status = ExecStatus.NotSupported;
                }
                break;
            case ExecStatus.OcfNotInstalled:
            case ExecStatus.OcfInvalidParam:
            case ExecStatus.OcfInsufficientPriv:
                CheckRecoverable(rsc, node, task);
                status = ExecStatus.ErrorHard;
                break;
            default:
                if (status == ExecStatus.Done)
                {
                    status = ExecStatus.Error;
                }
                break;
        }
    }

    private void CheckRecoverable(Resource rsc, Node node, string task)
    {
        if (task != ActionFactory.Stop || NodeFencing.CanFence(ws, node.Details))
        {
            return;
        }
        // A failed stop that cannot be fenced leaves nothing to try: block the resource.
        rsc.Clear(ResourceFlags.Managed);
        rsc.Set(ResourceFlags.Block);
    }

    private void UpdateResourceState(Resource rsc, Node node, OperationRecord op, string task, int rc, OperationRecord? lastFailure, ref OnFail onFail)
    {
        var clearPastFailure = false;
        if (rc == ExecStatus.OcfNotInstalled || MaskProbeFailure(op))
        {
            rsc.Role = Role.Stopped;
        }
        else if (rc == ExecStatus.OcfNotRunning)
        {
            clearPastFailure = true;
        }
        else if (task == ActionFactory.Monitor)
        {
            if (lastFailure is not null && string.Equals(op.KeyOrId, lastFailure.KeyOrId, StringComparison.OrdinalIgnoreCase))
            {
                clearPastFailure = true;
            }
            if (rsc.Role < Role.Started)
            {
                SetActive(rsc);
            }
        }
        else if (task == ActionFactory.Start)
        {
            rsc.Role = Role.Started;
            clearPastFailure = true;
        }
        else if (task == ActionFactory.Stop)
        {
            rsc.Role = Role.Stopped;
            clearPastFailure = true;
        }
        else if (task == ActionFactory.Promote)
        {
            rsc.Role = Role.Promoted;
            clearPastFailure = true;
        }
        else if (task == ActionFactory.Demote)
        {
            if (onFail == OnFail.Demote)
            {
                clearPastFailure = true;
            }
            rsc.Role = Role.Unpromoted;
        }
        else if (task == ActionFactory.MigrateFrom)
        {
            rsc.Role = Role.Started;
            clearPastFailure = true;
        }
        else if (task == ActionFactory.MigrateTo)
        {
            Migrations.UnpackMigrateToSuccess(ws, this, rsc, node, op);
        }
        else if (rsc.Role < Role.Started)
        {
            SetActive(rsc);
        }

        if (clearPastFailure)
        {
            switch (onFail)
            {
                case OnFail.Stop:
                case OnFail.Fence:
                case OnFail.Migrate:
                case OnFail.Standby:
                    break;
                case OnFail.Block:
                case OnFail.Ignore:
                case OnFail.Demote:
                case OnFail.Recover:
                case OnFail.RestartContainer:
                    onFail = OnFail.Ignore;
                    rsc.NextRole = Role.Unknown;
                    break;
                case OnFail.ResetRemote:
                    if (rsc.RemoteReconnectMs == 0)
                    {
                        onFail = OnFail.Ignore;
                        rsc.NextRole = Role.Unknown;
                    }
                    break;
            }
        }
    }

    private void UnpackRscOpFailure(Resource rsc, Node node, int rc, OperationRecord op, ref OperationRecord? lastFailure, ref OnFail onFail)
    {
        var task = op.Operation;
        lastFailure = op;
        var isProbe = op.IsProbe;
        if (ws.Is(ClusterFlags.SymmetricCluster) || rc != ExecStatus.OcfNotInstalled)
        {
            RecordFailedOp(op, node, rsc);
        }
        var action = ActionFactory.CustomAction(ws, rsc, op.KeyOrId, task, null, true, false);
        if (CompareOnFail(onFail, action.OnFail) < 0)
        {
            onFail = action.OnFail;
        }
        if (task == ActionFactory.Stop)
        {
            NodeScores.ResourceLocation(rsc, node, -Scores.Infinity, "__stop_fail__");
        }
        else if (task == ActionFactory.MigrateTo)
        {
            Migrations.UnpackMigrateToFailure(ws, this, rsc, node, op);
        }
        else if (task == ActionFactory.MigrateFrom)
        {
            Migrations.UnpackMigrateFromFailure(ws, this, rsc, node, op);
        }
        else if (task == ActionFactory.Promote)
        {
            rsc.Role = Role.Promoted;
        }
        else if (task == ActionFactory.Demote)
        {
            if (action.OnFail == OnFail.Block)
            {
                rsc.Role = Role.Promoted;
                rsc.NextRole = Role.Stopped;
            }
            else if (rc == ExecStatus.OcfNotRunning)
            {
                rsc.Role = Role.Stopped;
            }
            else
            {
                // Staying promoted would loop; recovery stops it anyway.
                rsc.Role = Role.Unpromoted;
            }
        }
        if (isProbe && rc == ExecStatus.OcfNotInstalled)
        {
            rsc.Role = Role.Stopped;
        }
        else if (rsc.Role < Role.Started)
        {
            SetActive(rsc);
        }
        if (action.FailRole != Role.Started && rsc.NextRole < action.FailRole)
        {
            rsc.NextRole = action.FailRole;
        }
        if (action.FailRole == Role.Stopped)
        {
            var failRsc = rsc;
            if (failRsc.Parent is not null)
            {
                var top = failRsc.Top;
                if (top.IsAnonClone)
                {
                    // One failed instance with on-fail=stop stops the whole anonymous clone.
                    failRsc = top;
                }
            }
            failRsc.AllowedNodes = NodeTable.FromList(ws.Nodes);
            foreach (var n in failRsc.AllowedNodes.Values)
            {
                n.Weight = -Scores.Infinity;
            }
        }
    }

    /// <summary>Compares on-fail responses by severity (cmp_on_fail): negative when <paramref name="second"/> is worse.</summary>
    public static int CompareOnFail(OnFail first, OnFail second)
    {
        switch (first)
        {
            case OnFail.Demote:
                return second switch { OnFail.Ignore => 1, OnFail.Demote => 0, _ => -1 };
            case OnFail.ResetRemote:
                return second switch { OnFail.Ignore or OnFail.Demote or OnFail.Recover => 1, OnFail.ResetRemote => 0, _ => -1 };
            case OnFail.RestartContainer:
                return second switch
                {
                    OnFail.Ignore or OnFail.Demote or OnFail.Recover or OnFail.ResetRemote => 1,
                    OnFail.RestartContainer => 0,
                    _ => -1,
                };
        }
        switch (second)
        {
            case OnFail.Demote:
                return first == OnFail.Ignore ? -1 : 1;
            case OnFail.ResetRemote:
                return first is OnFail.Ignore or OnFail.Demote or OnFail.Recover ? -1 : 1;
            case OnFail.RestartContainer:
                return first is OnFail.Ignore or OnFail.Demote or OnFail.Recover or OnFail.ResetRemote ? -1 : 1;
        }
        return (int)first - (int)second;
    }

    private static void SetActive(Resource rsc) =>
        rsc.Role = rsc.Top.Is(ResourceFlags.Promotable) ? Role.Unpromoted : Role.Started;

    internal void RecordFailedOp(OperationRecord op, Node node, Resource rsc)
    {
        if (!node.Details.Online)
        {
            return;
        }
        foreach (var failed in ws.Failed)
        {
            if (string.Equals(failed.Operation.OperationKey, op.OperationKey, StringComparison.OrdinalIgnoreCase)
                && string.Equals(failed.NodeName, node.Uname, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        ws.Failed.Add(new FailedOperation(op, node.Uname, rsc.Id));
    }

    /// <summary>The history of a resource on a node, by resource id as recorded.</summary>
    internal ResourceHistory? FindHistory(string rscId, string nodeName) =>
        _historyIndex.GetValueOrDefault((nodeName.ToLowerInvariant(), rscId));
}
