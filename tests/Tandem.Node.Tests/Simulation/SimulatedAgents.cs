using Tandem.Agents.Execution;
using Tandem.Node.Coordination;

namespace Tandem.Node.Tests.Simulation;

/// <summary>
/// The resources of every simulated node, answered at once by a well-behaved OCF agent model: start and
/// stop change state, monitors report it, recurring monitors report only changes when the simulation
/// runs them; promote and demote change the role, which monitors report (8 when promoted). Faults: a resource dies behind the agent's back, or the next operation fails.
/// </summary>
public sealed class SimulatedAgents
{
    private readonly Dictionary<(uint Node, string Resource), bool> _running = [];
    private readonly HashSet<(uint Node, string Resource)> _promoted = [];
    private readonly Dictionary<(uint Node, string Resource, string Task), int> _failNext = [];
    private readonly Dictionary<(uint Node, string Key), (ExecuteAction Action, int LastRc)> _recurring = [];
    private readonly HashSet<(uint Node, string Resource, string Task)> _hangNext = [];

    /// <summary>Every operation run (recurring monitors' later runs aside), in order.</summary>
    public List<(uint Node, string Resource, string Task)> Operations { get; } = [];

    public bool IsRunning(uint node, string resource) => _running.GetValueOrDefault((node, resource));

    /// <summary>Nodes on which the resource runs now.</summary>
    public IReadOnlyList<uint> Where(string resource) => [.. _running.Where(r => r.Key.Resource == resource && r.Value).Select(r => r.Key.Node).Order()];

    /// <summary>Nodes on which the resource runs promoted now.</summary>
    public IReadOnlyList<uint> WherePromoted(string resource) => [.. _promoted.Where(r => r.Resource == resource).Select(r => r.Node).Order()];

    /// <summary>The service dies: the next monitor finds it stopped.</summary>
    public void Kill(uint node, string resource) => _running[(node, resource)] = false;

    public void FailNext(uint node, string resource, string task, int rc) => _failNext[(node, resource, task)] = rc;

    /// <summary>The next such operation never returns (the agent hangs; its node's executor waits).</summary>
    public void HangNext(uint node, string resource, string task) => _hangNext.Add((node, resource, task));

    /// <summary>Whether this operation hangs (consumes the fault).</summary>
    public bool Hangs(uint node, ExecuteAction action) => _hangNext.Remove((node, action.ResourceId, action.Task));

    /// <summary>A node powered off: nothing runs there any more, and its monitors are gone.</summary>
    public void PowerOff(uint node)
    {
        foreach (var key in _running.Keys.Where(k => k.Node == node).ToList())
        {
            _running[key] = false;
        }
        _promoted.RemoveWhere(k => k.Node == node);
        foreach (var key in _recurring.Keys.Where(k => k.Node == node).ToList())
        {
            _recurring.Remove(key);
        }
    }

    /// <summary>Runs one operation and returns its result (recurring ones: the first result).</summary>
    public OperationResult Run(uint node, ExecuteAction action)
    {
        if (action.Task is "stop" or "promote" or "demote")
        {
            foreach (var key in _recurring.Keys.Where(k => k.Node == node && _recurring[k].Action.ResourceId == action.ResourceId).ToList())
            {
                _recurring.Remove(key);
            }
        }
        Operations.Add((node, action.ResourceId, action.Task));
        var rc = Execute(node, action);
        if (action.IntervalMs > 0)
        {
            _recurring[(node, $"{action.ResourceId}_{action.Task}_{action.IntervalMs}")] = (action, rc);
        }
        return Result(action, rc);
    }

    public void Cancel(uint node, ExecuteAction cancel) =>
        _recurring.Remove((node, $"{cancel.ResourceId}_{cancel.Meta.GetValueOrDefault("operation", "monitor")}_{cancel.IntervalMs}"));

    /// <summary>Runs every recurring monitor once; returns the results that changed.</summary>
    public IReadOnlyList<(uint Node, ExecuteAction Action, OperationResult Result)> RunMonitors()
    {
        var changed = new List<(uint, ExecuteAction, OperationResult)>();
        foreach (var (key, (action, lastRc)) in _recurring.ToList())
        {
            var rc = Execute(key.Node, action);
            if (rc != lastRc)
            {
                _recurring[key] = (action, rc);
                changed.Add((key.Node, action, Result(action, rc)));
            }
        }
        return changed;
    }

    private int Execute(uint node, ExecuteAction action)
    {
        if (_failNext.Remove((node, action.ResourceId, action.Task), out var failure))
        {
            return failure;
        }
        var key = (node, action.ResourceId);
        switch (action.Task)
        {
            case "start":
                _running[key] = true;
                return 0;
            case "stop":
                _running[key] = false;
                _promoted.Remove(key);
                return 0;
            case "promote":
                _promoted.Add(key);
                return 0;
            case "demote":
                _promoted.Remove(key);
                return 0;
            case "monitor":
                return !IsRunning(node, action.ResourceId) ? 7 : _promoted.Contains(key) ? 8 : 0;
            default:
                return 0;
        }
    }

    private static OperationResult Result(ExecuteAction action, int rc) => new()
    {
        ResourceId = action.ResourceId,
        Action = action.Task,
        IntervalMs = action.IntervalMs,
        Status = rc switch { 0 => OperationStatus.Success, 7 => OperationStatus.NotRunning, 8 => OperationStatus.Promoted, _ => OperationStatus.Error },
        ExitCode = (OcfExitCode)rc,
        ErrorClass = rc is 0 ? ErrorClass.None : ErrorClass.Soft,
    };
}
