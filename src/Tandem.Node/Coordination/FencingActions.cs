using System.Globalization;
using Microsoft.Extensions.Logging;
using Tandem.Model.Status;
using Tandem.Node.Fencing;
using Tandem.Scheduler;
using Tandem.Scheduler.Graph;

namespace Tandem.Node.Coordination;

/// <summary>
/// The coordinator's fencing: a graph's stonith action becomes a fence request to a node that can use a
/// device on the target (never the target itself), or, with no device but watchdog self-fencing on, a
/// watchdog request concluded after stonith-watchdog-timeout. The answer is a replicated fence result.
/// A failed fencing is retried (the scheduler asks again) after a back-off that doubles per failure of
/// the same target, from 1 s up to 60 s; until it succeeds, the target's resources stay where they are.
/// Pure: time is a parameter, output is messages.
/// </summary>
public sealed class FencingActions(string uuid, string nodeName, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, (int Failures, DateTimeOffset RetryAt)> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (GraphAction Action, DateTimeOffset At)> _deferred = [];
    private readonly Dictionary<int, (FenceRequest Request, DateTimeOffset At)> _watchdog = [];

    /// <summary>A new transition starts: what belonged to the old one is dropped (its run is gone).</summary>
    public void Reset()
    {
        _deferred.Clear();
        _watchdog.Clear();
    }

    /// <summary>Fires a graph's stonith action now, or defers it while its target's back-off runs.</summary>
    public void Fire(TransitionRun run, GraphAction action, ClusterSnapshot snapshot, DateTimeOffset now, List<DaemonMessage> messages)
    {
        if (action.NodeName is { } target && _failures.TryGetValue(target, out var failed) && failed.RetryAt > now)
        {
            _deferred[action.Id] = (action, failed.RetryAt);
            run.SetDeadline(action.Id, failed.RetryAt + Coordinator.ResultGrace);
            logger.LogInformation("transition {Id}: fencing {Target} again at {At:O} (failed {Count} times)", run.Id, target, failed.RetryAt, failed.Failures);
            return;
        }
        Start(run, action, snapshot, now, messages);
    }

    /// <summary>Deferred fencing whose time has come starts; watchdog fencing whose timeout has passed is concluded.</summary>
    public void Step(TransitionRun run, ClusterSnapshot? snapshot, DateTimeOffset now, List<DaemonMessage> messages)
    {
        foreach (var (id, (action, at)) in _deferred.Where(d => d.Value.At <= now || run.Aborted).ToList())
        {
            _deferred.Remove(id);
            if (run.Aborted || snapshot is null)
            {
                // Nothing new starts in an aborted run: the next plan asks for this fencing again.
                run.Fail(id, $"fencing {action.NodeName} was not retried: {run.AbortReason}");
            }
            else
            {
                Start(run, action, snapshot, now, messages);
            }
        }
        foreach (var (id, (request, at)) in _watchdog.Where(w => w.Value.At <= now).ToList())
        {
            _watchdog.Remove(id);
            messages.Add(new FenceResult(request.RequestId, nodeName, request.Target, request.Action, true, "watchdog", null, now));
        }
    }

    public DateTimeOffset? NextDeadline =>
        _deferred.Values.Select(d => (DateTimeOffset?)d.At).Concat(_watchdog.Values.Select(w => (DateTimeOffset?)w.At)).Min();

    /// <summary>A fence result came back: confirms or fails the run's action, and keeps the back-off.</summary>
    public void OnResult(TransitionRun? run, FenceResult result, DateTimeOffset now)
    {
        if (result.Succeeded)
        {
            _failures.Remove(result.Target);
        }
        else
        {
            var failures = _failures.TryGetValue(result.Target, out var known) ? known.Failures + 1 : 1;
            var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), MaxBackoff.TotalSeconds));
            _failures[result.Target] = (failures, now + backoff);
        }
        if (TransitionKey.TryParse(result.RequestId) is { } key && key.CoordinatorUuid == uuid && run is not null && key.TransitionId == run.Id)
        {
            _watchdog.Remove(key.ActionId);
            if (result.Succeeded)
            {
                run.Confirm(key.ActionId);
            }
            else
            {
                run.Fail(key.ActionId, $"fencing {result.Target} failed: {result.Reason}");
            }
        }
    }

    private void Start(TransitionRun run, GraphAction action, ClusterSnapshot snapshot, DateTimeOffset now, List<DaemonMessage> messages)
    {
        var target = action.NodeName!;
        var fenceAction = action.Attribute("CRM_meta_stonith_action") ?? "reboot";
        var requestId = new TransitionKey(action.Id, run.Id, 0, uuid).ToString();
        var targetId = uint.TryParse(action.NodeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
        var request = FencePlanner.Plan(snapshot.Configuration, requestId, target, targetId, fenceAction, Executors(snapshot), out var reason);
        if (request is not null)
        {
            messages.Add(request);
            var budgetMs = request.Levels.Sum(level => level.Sum(d => d.TimeoutMs + d.CheckTimeoutMs));
            run.SetDeadline(action.Id, now + TimeSpan.FromMilliseconds(budgetMs) + Coordinator.ResultGrace);
            logger.LogWarning("transition {Id}: fencing {Target} ({Action}) from {Executor} with {Devices}", run.Id, target, fenceAction, request.Executor,
                string.Join(" then ", request.Levels.Select(l => string.Join("+", l.Select(d => d.DeviceId)))));
            return;
        }
        if (WatchdogFencing.Timeout(snapshot.Configuration) is { } watchdog)
        {
            var watchdogRequest = new FenceRequest(requestId, "", target, targetId, fenceAction, []) { WatchdogMs = (long)watchdog.TotalMilliseconds };
            messages.Add(watchdogRequest);
            _watchdog[action.Id] = (watchdogRequest, now + watchdog);
            run.SetDeadline(action.Id, now + watchdog + Coordinator.ResultGrace);
            logger.LogWarning("transition {Id}: fencing {Target} by watchdog: concluded fenced at {At:O} ({Reason})", run.Id, target, now + watchdog, reason);
            return;
        }
        run.Fail(action.Id, $"cannot fence {target}: {reason}");
        logger.LogError("transition {Id}: cannot fence {Target}: {Reason}; its resources stay where they are", run.Id, target, reason);
    }

    /// <summary>Nodes that may carry out fencing, this one first: members whose daemon is up.</summary>
    private static IEnumerable<string> Executors(ClusterSnapshot snapshot) =>
        snapshot.Status.Nodes
            .Where(n => n.InCcm == "true" && n.Crmd == "online" && n.Join == "member" && n.Uname is not null)
            .OrderBy(n => n.Id == snapshot.DcUuid ? 0 : 1)
            .ThenBy(n => uint.TryParse(n.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : uint.MaxValue)
            .Select(n => n.Uname!);
}
