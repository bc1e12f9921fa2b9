using System.Globalization;
using Tandem.Agents.Execution;
using Tandem.Model.Status;
using Tandem.Node.Coordination;
using Tandem.Scheduler.Graph;

namespace Tandem.Node.Status;

/// <summary>
/// Turns an executor's result into the status update this node multicasts: the history entry (with the
/// coordinator's transition key, so it recognises the answer) and, for a failure, the fail count and
/// last-failure time as Pacemaker's controller records them. Pure; call ids count per daemon run.
/// </summary>
public sealed class ResultRecorder(string node)
{
    private int _callId;

    /// <summary>
    /// The update for one result. With start-failure-is-fatal (<paramref name="failedStartIsFatal"/>) a failed
    /// start bans the node (fail count INFINITY) instead of counting one.
    /// </summary>
    public StatusUpdate Record(ExecuteAction action, OperationResult result, bool failedStartIsFatal, DateTimeOffset now)
    {
        var key = TransitionKey.TryParse(action.TransitionKey);
        var targetRc = key?.TargetRc ?? 0;
        var (opStatus, rc) = result.Status switch
        {
            OperationStatus.Timeout => (2, 1),
            OperationStatus.Cancelled => (1, (int)result.ExitCode),
            _ => (0, (int)result.ExitCode),
        };
        var probe = action.Task == "monitor" && action.IntervalMs == 0;
        var cancel = action.Task == "cancel";
        // A probe that finds the resource running or stopped has learned something, not failed; a
        // cancellation only ends a recurring operation.
        var failed = !cancel && (opStatus != 0 || (rc != targetRc && !(probe && rc is 0 or 7 or 8)));
        // A cancellation names the operation it ended, by that operation's key: the status forgets it.
        var task = cancel ? action.Meta.GetValueOrDefault("operation") ?? "monitor" : action.Task;
        var seconds = now.ToUnixTimeSeconds();
        var record = new OperationRecord
        {
            Id = action.ResourceId,
            Operation = action.Task,
            OperationKey = string.Create(CultureInfo.InvariantCulture, $"{action.ResourceId}_{task}_{action.IntervalMs}"),
            IntervalMs = (uint)action.IntervalMs,
            CallId = Interlocked.Increment(ref _callId),
            RcCode = rc,
            OpStatus = opStatus,
            LastRcChange = seconds,
            LastRun = seconds,
            ExecTimeMs = (long)result.Duration.TotalMilliseconds,
            QueueTimeMs = 0,
            TransitionKey = key,
            TransitionMagic = key is null ? null : string.Create(CultureInfo.InvariantCulture, $"{opStatus}:{rc};{key}"),
            ExitReason = result.ExitReason,
            OnNode = node,
            OpDigest = OperationDigest.Of(action.Parameters.Concat(action.Meta.Select(m => KeyValuePair.Create("CRM_meta_" + m.Key, m.Value)))),
        };
        var operation = new OperationUpdate(action.ResourceId, action.Class, action.Provider, action.Type, record, failed);
        return new StatusUpdate(node, [operation], failed ? FailureAttributes(action, failedStartIsFatal, seconds) : []);
    }

    /// <summary>Pacemaker's rule: recurring operations, promote and demote count one failure; a start counts
    /// one or bans the node; a stop bans it; probes and notifications count none. on-fail=ignore records
    /// only the time.</summary>
    private static IReadOnlyList<AttributeChange> FailureAttributes(ExecuteAction action, bool failedStartIsFatal, long seconds)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"{action.ResourceId}#{action.Task}_{action.IntervalMs}");
        string? value = action.IntervalMs > 0 || action.Task is "promote" or "demote"
            ? AttributeChange.Increment
            : action.Task switch
            {
                "start" => failedStartIsFatal ? "INFINITY" : AttributeChange.Increment,
                "stop" => "INFINITY",
                _ => null,
            };
        if (value is null)
        {
            return [];
        }
        var lastFailure = new AttributeChange($"last-failure-{suffix}", seconds.ToString(CultureInfo.InvariantCulture));
        return action.Meta.GetValueOrDefault("on_fail") == "ignore"
            ? [lastFailure]
            : [new AttributeChange($"fail-count-{suffix}", value), lastFailure];
    }
}
