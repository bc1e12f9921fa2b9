using System.Globalization;
using Microsoft.Extensions.Logging;
using Tandem.Model.Status;
using Tandem.Node.Fencing;
using Tandem.Node.Status;
using Tandem.Scheduler;
using Tandem.Scheduler.Graph;

namespace Tandem.Node.Coordination;

/// <summary>
/// The coordinator's decisions, on the elected node only. On every relevant event it takes a snapshot,
/// runs the scheduler and executes the transition graph: actions fire in graph order as messages to the
/// nodes' executors, results come back as status updates carrying the action's transition key. Anything
/// unexpected (a failure, a configuration or membership change, an attribute change) aborts the run:
/// nothing new fires, and once the actions in flight are back the scheduler runs again on the new facts.
/// Pure: time is a parameter, output is messages.
/// </summary>
public sealed class Coordinator(string uuid, ILogger logger, string nodeName = "")
{
    private readonly FencingActions _fencing = new(uuid, nodeName, logger);
    // The snapshot the running transition was planned from: fencing decides devices and executors from it.
    private ClusterSnapshot? _planned;

    /// <summary>Added to an action's own timeout before the coordinator gives up on its result.</summary>
    public static readonly TimeSpan ResultGrace = TimeSpan.FromSeconds(30);

    private TransitionRun? _run;
    private int _transitionId;
    private bool _needSchedule;

    public bool Active { get; private set; }

    public TransitionRun? Run => _run;

    /// <summary>How many transitions this coordinator has started (a run with no actions does not count).</summary>
    public int Transitions => _transitionId;

    /// <summary>This node became the coordinator: plan from the replicated status at once.</summary>
    public void Activate()
    {
        if (!Active)
        {
            Active = true;
            _needSchedule = true;
            logger.LogInformation("coordinator: this node coordinates now");
        }
    }

    public void Deactivate()
    {
        if (Active)
        {
            Active = false;
            _run = null;
            _fencing.Reset();
            logger.LogInformation("coordinator: this node no longer coordinates");
        }
    }

    /// <summary>The facts changed: abort what runs, plan again.</summary>
    public void Invalidate(string reason)
    {
        _needSchedule = true;
        if (_run is { Aborted: false, IsComplete: false } run)
        {
            run.Abort(reason);
            logger.LogInformation("transition {Id} aborted: {Reason}", run.Id, reason);
        }
    }

    /// <summary>
    /// Matches results to the running transition; anything else that failed is a surprise, and so is a
    /// change of attributes or a forgotten history (<paramref name="statusChanged"/>: a promotion score,
    /// a fail count, a cleanup).
    /// </summary>
    public void OnStatusUpdate(StatusUpdate update, bool statusChanged)
    {
        if (!Active)
        {
            return;
        }
        foreach (var operation in update.Operations)
        {
            var record = operation.Record;
            if (record.TransitionKey is { } key && key.CoordinatorUuid == uuid && _run is { } run && key.TransitionId == run.Id)
            {
                if (record.OpStatus == 0 && (record.RcCode == key.TargetRc || record.Operation == "cancel"))
                {
                    run.Confirm(key.ActionId);
                }
                else
                {
                    run.Fail(key.ActionId, $"{operation.ResourceId} {Describe(record)} on {update.Node}");
                    _needSchedule = true;
                }
            }
            else if (operation.Failed)
            {
                Invalidate($"{operation.ResourceId} {Describe(record)} on {update.Node}");
            }
        }
        if (statusChanged)
        {
            Invalidate($"status of {update.Node} changed");
        }
    }

    /// <summary>A fence result: the running transition's fencing action is confirmed or failed.</summary>
    public void OnFenceResult(FenceResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ours = TransitionKey.TryParse(result.RequestId) is { } key && key.CoordinatorUuid == uuid && _run is { } run && key.TransitionId == run.Id;
        _fencing.OnResult(Active ? _run : null, result, now);
        if (!result.Succeeded)
        {
            _needSchedule = true;
        }
        else if (!ours)
        {
            Invalidate($"{result.Target} was fenced");
        }
    }

    private static string Describe(OperationRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.Operation}{(record.IntervalMs > 0 ? $" every {record.IntervalMs} ms" : "")} returned {record.RcCode} (op-status {record.OpStatus})");

    /// <summary>
    /// Advances the coordinator: expires overdue actions, fires what is ready, and when the run is done
    /// and something changed, schedules the next one. Returns the messages to multicast.
    /// </summary>
    public IReadOnlyList<DaemonMessage> Step(Func<ClusterSnapshot> snapshot, DateTimeOffset now)
    {
        if (!Active)
        {
            return [];
        }
        var messages = new List<DaemonMessage>();
        for (var round = 0; round < 100; round++)
        {
            if (_run is { } run)
            {
                _fencing.Step(run, _planned, now, messages);
                if (run.Expire(now).Count > 0)
                {
                    _needSchedule = true;
                }
                var fired = Fire(run, now, messages);
                if (!run.IsComplete)
                {
                    if (fired)
                    {
                        continue;
                    }
                    break;
                }
                logger.LogInformation("transition {Id} {Outcome}", run.Id, run.Aborted ? $"aborted ({run.AbortReason})" : "complete");
                _run = null;
                // A plan may need more than one transition; a run that did work is followed by a fresh look.
                // Pseudo-actions are no work: a graph of them alone (stops blocked by a missing quorum, say)
                // would be planned again and again, and nothing would change. Nor is a run that left actions
                // waiting behind a blocked input: what fired (a monitor's cancel, say) does not unblock it, so
                // the same graph would come back for ever; as in Pacemaker, a new fact plans again.
                _needSchedule |= !run.Aborted && run.DidWork && !run.LeftIncomplete;
            }
            if (!_needSchedule)
            {
                break;
            }
            _needSchedule = false;
            _fencing.Reset();
            _planned = snapshot();
            var plan = Tandem.Scheduler.Scheduler.Schedule(_planned);
            var graph = ProbesFirst(plan.Graph);
            if (graph.Synapses.Count == 0)
            {
                break;
            }
            _run = new TransitionRun(++_transitionId, graph);
            logger.LogInformation("transition {Id}: {Count} actions{Summary}", _run.Id, graph.Synapses.Count, string.Concat(plan.Summary.Select(l => "\n  " + l.Trim())));
        }
        return messages;
    }

    /// <summary>
    /// A graph with probes runs its probes alone; the plan that follows knows what they found. A node whose
    /// daemon restarted announces an empty history and is probed; planned in the same graph, a promotion
    /// elsewhere would not wait for the probe (Pacemaker orders probes before starts only, and its executor
    /// outlives its controller), so a volume still Primary there would be promoted twice. Pacemaker's old
    /// probe_complete ordered every probe before any other action, as this does.
    /// </summary>
    public static TransitionGraph ProbesFirst(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var probes = graph.Synapses.Where(s => IsProbe(s.Action)).ToList();
        if (probes.Count == 0 || probes.Count == graph.Synapses.Count)
        {
            return graph;
        }
        return graph with { Synapses = [.. probes.Select(s => s with { Inputs = [.. s.Inputs.Where(IsProbe)] })] };
    }

    private static bool IsProbe(GraphAction action) =>
        action.Kind == GraphActionKind.ResourceOperation && action.Task == "monitor" && Milliseconds(action.Attribute("CRM_meta_interval")) == 0;

    /// <summary>The earliest moment the coordinator must look again without an event (an action's deadline).</summary>
    public DateTimeOffset? NextDeadline => new[] { _run?.NextDeadline, _fencing.NextDeadline }.Min();

    private bool Fire(TransitionRun run, DateTimeOffset now, List<DaemonMessage> messages)
    {
        var any = false;
        foreach (var action in run.TakeReady(now, Timeout))
        {
            any = true;
            switch (action.Kind)
            {
                case GraphActionKind.Pseudo:
                    run.Confirm(action.Id);
                    break;
                case GraphActionKind.ResourceOperation:
                    messages.Add(ToExecute(run, action));
                    logger.LogInformation("transition {Id}: {Key} on {Node}", run.Id, action.Key, action.NodeName);
                    break;
                case GraphActionKind.ClusterEvent when action.Task == "stonith" && action.NodeName is not null && _planned is { } planned:
                    _fencing.Fire(run, action, planned, now, messages);
                    break;
                case GraphActionKind.ClusterEvent:
                    FireClusterEvent(run, action, messages);
                    break;
            }
        }
        return any;
    }

    private void FireClusterEvent(TransitionRun run, GraphAction action, List<DaemonMessage> messages)
    {
        switch (action.Task)
        {
            case "clear_failcount" when action.NodeName is { } node && action.ResourceId is { } resource:
                var operation = action.Attribute("CRM_meta_operation") ?? action.Attribute("CRM_meta_op") ?? "";
                var interval = action.Attribute("CRM_meta_interval") ?? "0";
                messages.Add(new StatusUpdate(node, [], [
                    new AttributeChange($"fail-count-{resource}#{operation}_{interval}", null),
                    new AttributeChange($"last-failure-{resource}#{operation}_{interval}", null),
                ]));
                run.Confirm(action.Id);
                break;
            case "do_shutdown":
                run.Confirm(action.Id);
                break;
            default:
                // Fencing needs a fence device and the fencer; without them the cluster must wait, never guess.
                run.Fail(action.Id, $"cannot carry out {action.Key}: {action.Task} is not available on this cluster");
                logger.LogError("transition {Id}: cannot carry out {Key}; resources that depend on it stay where they are", run.Id, action.Key);
                break;
        }
    }

    private ExecuteAction ToExecute(TransitionRun run, GraphAction action)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var meta = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in action.Attributes)
        {
            if (name.StartsWith("CRM_meta_", StringComparison.Ordinal))
            {
                meta[name["CRM_meta_".Length..]] = value;
            }
            else if (name != "crm_feature_set")
            {
                parameters[name] = value;
            }
        }
        var targetRc = int.TryParse(meta.GetValueOrDefault("op_target_rc"), CultureInfo.InvariantCulture, out var rc) ? rc : 0;
        var key = new TransitionKey(action.Id, run.Id, targetRc, uuid);
        return new ExecuteAction(
            key.ToString(),
            action.NodeName ?? "",
            action.ResourceId ?? "",
            action.ResourceClass,
            action.ResourceProvider,
            action.ResourceType,
            action.Task,
            Milliseconds(meta.GetValueOrDefault("interval")),
            Milliseconds(meta.GetValueOrDefault("timeout")) is > 0 and var timeout ? timeout : 20_000,
            parameters,
            meta);
    }

    private static TimeSpan Timeout(GraphAction action) =>
        TimeSpan.FromMilliseconds(Milliseconds(action.Attribute("CRM_meta_timeout")) is > 0 and var ms ? ms : 20_000) + ResultGrace;

    private static long Milliseconds(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
}
