using Tandem.Scheduler.Graph;

namespace Tandem.Node.Coordination;

/// <summary>
/// One transition graph being executed: an action fires once every action it waits for is confirmed;
/// a failed action aborts the transition, after which nothing new fires and the run completes when the
/// actions already in flight have come back. Pure state machine.
/// </summary>
public sealed class TransitionRun
{
    private readonly Dictionary<int, ActionState> _states = [];
    private readonly Dictionary<int, DateTimeOffset> _deadlines = [];
    private readonly Dictionary<int, Synapse> _synapses;

    public TransitionRun(int id, TransitionGraph graph)
    {
        Id = id;
        Graph = graph;
        _synapses = graph.Synapses.ToDictionary(s => s.Action.Id);
        foreach (var synapse in graph.Synapses)
        {
            _states[synapse.Action.Id] = ActionState.Waiting;
        }
    }

    public int Id { get; }

    public TransitionGraph Graph { get; }

    public bool Aborted { get; private set; }

    public string? AbortReason { get; private set; }

    public ActionState State(int actionId) => _states[actionId];

    public bool HasInFlight => _states.Values.Any(s => s == ActionState.InFlight);

    /// <summary>
    /// Complete: nothing is in flight and nothing more can fire. Actions whose inputs can never complete
    /// (an input left out of the graph, such as a blocked stop) stay unfired, as Pacemaker's transition
    /// engine leaves them "incomplete"; waiting for them would stall the coordinator for good.
    /// </summary>
    public bool IsComplete => !HasInFlight && (Aborted || !Graph.Synapses.Any(s => _states[s.Action.Id] == ActionState.Waiting && s.Inputs.All(i => Confirmed(i.Id))));

    /// <summary>
    /// Complete with actions that never fired because an input can never complete (Pacemaker's
    /// "incomplete" actions): the plan is stuck until the facts change, so planning again at once would
    /// produce the same graph.
    /// </summary>
    public bool LeftIncomplete => IsComplete && !Aborted && _states.Values.Any(s => s == ActionState.Waiting);

    /// <summary>Whether a resource operation or cluster event was carried out (pseudo-actions are bookkeeping).</summary>
    public bool DidWork => Graph.Synapses.Any(s => s.Action.Kind != GraphActionKind.Pseudo && _states[s.Action.Id] is ActionState.Confirmed or ActionState.Failed);

    /// <summary>The actions whose inputs are all confirmed, in priority order; marks them in flight.</summary>
    public IReadOnlyList<GraphAction> TakeReady(DateTimeOffset now, Func<GraphAction, TimeSpan> timeout)
    {
        if (Aborted)
        {
            return [];
        }
        var ready = Graph.Synapses
            .Where(s => _states[s.Action.Id] == ActionState.Waiting && s.Inputs.All(i => Confirmed(i.Id)))
            .OrderByDescending(s => s.Priority)
            .ThenBy(s => s.Id)
            .Select(s => s.Action)
            .ToList();
        foreach (var action in ready)
        {
            _states[action.Id] = ActionState.InFlight;
            _deadlines[action.Id] = now + timeout(action);
        }
        return ready;
    }

    // An input that is not part of the graph (a synapse of an action that was left out) never completes.
    private bool Confirmed(int actionId) => _states.GetValueOrDefault(actionId) == ActionState.Confirmed;

    public void Confirm(int actionId)
    {
        if (_states.GetValueOrDefault(actionId) == ActionState.InFlight)
        {
            _states[actionId] = ActionState.Confirmed;
        }
    }

    /// <summary>An action came back with an unexpected result: the transition stops here.</summary>
    public void Fail(int actionId, string reason)
    {
        if (_states.GetValueOrDefault(actionId) == ActionState.InFlight)
        {
            _states[actionId] = ActionState.Failed;
            Abort(reason);
        }
    }

    public void Abort(string reason)
    {
        if (Aborted)
        {
            return;
        }
        Aborted = true;
        AbortReason = reason;
        foreach (var (id, state) in _states.ToList())
        {
            if (state == ActionState.Waiting)
            {
                _states[id] = ActionState.Skipped;
            }
        }
    }

    /// <summary>Gives an action in flight a deadline of its own (fencing: the devices' timeouts, or the watchdog's).</summary>
    public void SetDeadline(int actionId, DateTimeOffset deadline)
    {
        if (_states.GetValueOrDefault(actionId) == ActionState.InFlight)
        {
            _deadlines[actionId] = deadline;
        }
    }

    /// <summary>Actions in flight past their deadline fail (the node or its executor did not answer).</summary>
    public IReadOnlyList<GraphAction> Expire(DateTimeOffset now)
    {
        var expired = _deadlines
            .Where(d => d.Value <= now && _states[d.Key] == ActionState.InFlight)
            .Select(d => _synapses[d.Key].Action)
            .ToList();
        foreach (var action in expired)
        {
            Fail(action.Id, $"{action.Key} on {action.NodeName} did not come back in time");
        }
        return expired;
    }

    /// <summary>The earliest deadline of an action in flight, for the daemon's timer.</summary>
    public DateTimeOffset? NextDeadline =>
        _deadlines.Where(d => _states[d.Key] == ActionState.InFlight).Select(d => (DateTimeOffset?)d.Value).Min();
}
