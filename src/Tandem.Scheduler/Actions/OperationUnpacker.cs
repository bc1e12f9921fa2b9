using System.Globalization;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Actions;

/// <summary>
/// Fills an action's meta attributes, timeout, requirement and failure response from the configured
/// operation, op_defaults and Pacemaker's defaults (unpack_operation).
/// </summary>
internal static class OperationUnpacker
{
    private const long DefaultTimeoutMs = 20_000;

    public static void Unpack(WorkingSet ws, SchedAction action, OperationDefinition? op, Resource? container, uint intervalMs)
    {
        var rsc = action.Rsc!;
        var meta = action.Meta;
        var isProbe = intervalMs == 0 && action.Task == ActionFactory.Monitor;

        foreach (var (name, value) in ws.OpDefaults(rsc, action.Task, intervalMs))
        {
            meta.TryAdd(name, value);
        }
        if (isProbe)
        {
            var minMonitor = MinIntervalMonitor(rsc);
            if (minMonitor?.Timeout is { } probeTimeout)
            {
                meta["timeout"] = probeTimeout;
            }
        }
        if (op is not null)
        {
            foreach (var (name, value) in op.Meta)
            {
                meta[name] = value;
            }
        }
        meta.Remove("id");
        if (intervalMs > 0)
        {
            meta["interval"] = intervalMs.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            meta.Remove("interval");
        }
        if (rsc.Definition.Class == "stonith" && (action.Task == ActionFactory.Start || isProbe))
        {
            if (rsc.Definition.Parameters(action.Node?.Details).TryGetValue("pcmk_monitor_timeout", out var monitorTimeout))
            {
                meta["timeout"] = monitorTimeout;
            }
        }
        var timeoutMs = PcmkText.GetMsec(meta.GetValueOrDefault("timeout"));
        if (timeoutMs < 0)
        {
            timeoutMs = DefaultTimeoutMs;
        }
        meta["timeout"] = timeoutMs.ToString(CultureInfo.InvariantCulture);

        if (action.Task != ActionFactory.Start && action.Task != ActionFactory.Promote)
        {
            action.Needs = ActionRequires.Nothing;
        }
        else if (rsc.Is(ResourceFlags.NeedsFencing))
        {
            action.Needs = ActionRequires.Fencing;
        }
        else if (rsc.Is(ResourceFlags.NeedsQuorum))
        {
            action.Needs = ActionRequires.Quorum;
        }
        else
        {
            action.Needs = ActionRequires.Nothing;
        }

        UnpackOnFail(ws, action, op, container, intervalMs);

        if (op is not null && meta.TryGetValue("role_after_failure", out var roleAfter) && action.FailRole == Role.Unknown
            && RoleNames.TryParse(roleAfter, out var failRole))
        {
            action.FailRole = failRole;
        }
        if (action.FailRole == Role.Unknown)
        {
            action.FailRole = action.Task == ActionFactory.Promote ? Role.Unpromoted : Role.Started;
        }

        if (meta.TryGetValue("start-delay", out var startDelay))
        {
            var delay = PcmkText.GetMsec(startDelay);
            meta["start-delay"] = Math.Max(0, delay).ToString(CultureInfo.InvariantCulture);
        }
        else if (meta.TryGetValue("interval-origin", out var origin) && intervalMs > 0
                 && IntervalOrigin.StartDelayMs(origin, intervalMs, ws.Now) is { } originDelay)
        {
            meta["start-delay"] = originDelay.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Adds the op's instance attributes evaluated for the action's node.</summary>
    public static void AddInstanceAttributes(SchedAction action)
    {
        if (action.OpEntry is null)
        {
            return;
        }
        foreach (var (name, value) in action.OpEntry.Parameters(action.Node?.Details))
        {
            action.Extra.TryAdd(name, value);
        }
    }

    private static OperationDefinition? MinIntervalMonitor(Resource rsc)
    {
        OperationDefinition? best = null;
        var min = uint.MaxValue;
        foreach (var op in rsc.Definition.Operations)
        {
            if (op.Enabled == false || op.Name != ActionFactory.Monitor)
            {
                continue;
            }
            if (op.IntervalMs > 0 && op.IntervalMs < min)
            {
                min = op.IntervalMs;
                best = op;
            }
        }
        return best;
    }

    private static string? OnFailValue(SchedAction action, OperationDefinition? op)
    {
        var value = action.Meta.GetValueOrDefault("on-fail");
        var rsc = action.Rsc!;
        if (action.Task == ActionFactory.Stop && value is not null
            && (value.Equals("standby", StringComparison.OrdinalIgnoreCase)
                || value.Equals("demote", StringComparison.OrdinalIgnoreCase)
                || value.Equals("stop", StringComparison.OrdinalIgnoreCase)))
        {
            // Not allowed for stop: reset to the default.
            return null;
        }
        if (action.Task == ActionFactory.Demote && value is null)
        {
            // A demote fails the way the promoted-role monitor is configured to, if it says.
            foreach (var candidate in rsc.Definition.Operations)
            {
                if (candidate.OnFail is null || candidate.Enabled == false || candidate.Name != ActionFactory.Monitor)
                {
                    continue;
                }
                if (!(string.Equals(candidate.RoleText, "Promoted", StringComparison.OrdinalIgnoreCase)
                      || string.Equals(candidate.RoleText, "Master", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                if (candidate.IntervalMs == 0 || candidate.OnFail.Equals("demote", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                return candidate.OnFail;
            }
            return null;
        }
        if (action.Task == ActionFactory.LrmDelete)
        {
            return "ignore";
        }
        if (value is not null && value.Equals("demote", StringComparison.OrdinalIgnoreCase))
        {
            var name = op?.Name;
            var promotedMonitor = name == ActionFactory.Monitor
                && (string.Equals(op!.RoleText, "Promoted", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(op.RoleText, "Master", StringComparison.OrdinalIgnoreCase))
                && op.IntervalMs != 0;
            if (!string.Equals(name, ActionFactory.Promote, StringComparison.OrdinalIgnoreCase) && !promotedMonitor)
            {
                return null;
            }
        }
        return value;
    }

    private static void UnpackOnFail(WorkingSet ws, SchedAction action, OperationDefinition? op, Resource? container, uint intervalMs)
    {
        var rsc = action.Rsc!;
        var value = OnFailValue(action, op);
        switch (value?.ToLowerInvariant())
        {
            case null:
                break;
            case "block":
                action.OnFail = OnFail.Block;
                action.Meta["on-fail"] = "block";
                break;
            case "fence":
                action.OnFail = OnFail.Fence;
                if (!ws.Is(ClusterFlags.StonithEnabled))
                {
                    action.OnFail = OnFail.Stop;
                    action.FailRole = Role.Stopped;
                }
                break;
            case "standby":
                action.OnFail = OnFail.Standby;
                break;
            case "ignore" or "nothing":
                action.OnFail = OnFail.Ignore;
                break;
            case "migrate":
                action.OnFail = OnFail.Migrate;
                break;
            case "stop":
                action.OnFail = OnFail.Stop;
                action.FailRole = Role.Stopped;
                break;
            case "restart":
                action.OnFail = OnFail.Recover;
                break;
            case "restart-container":
                if (container is not null)
                {
                    action.OnFail = OnFail.RestartContainer;
                }
                else
                {
                    value = null;
                }
                break;
            case "demote":
                action.OnFail = OnFail.Demote;
                break;
            default:
                value = null;
                break;
        }
        if (value is not null)
        {
            return;
        }
        var isRemoteConnection = rsc.IsRemoteNode && rsc.Container is null;
        if (container is not null)
        {
            action.OnFail = OnFail.RestartContainer;
        }
        else if (isRemoteConnection
                 && !(action.Task == ActionFactory.Monitor && intervalMs == 0) && action.Task != ActionFactory.Start)
        {
            if (!rsc.Is(ResourceFlags.Managed))
            {
                action.OnFail = OnFail.Stop;
                action.FailRole = Role.Stopped;
            }
            else
            {
                if (rsc.RemoteReconnectMs > 0)
                {
                    action.FailRole = Role.Stopped;
                }
                action.OnFail = OnFail.ResetRemote;
            }
        }
        else if (action.Task == ActionFactory.Stop)
        {
            action.OnFail = ws.Is(ClusterFlags.StonithEnabled) ? OnFail.Fence : OnFail.Block;
        }
        else
        {
            action.OnFail = OnFail.Recover;
        }
    }
}
