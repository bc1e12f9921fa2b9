using System.Globalization;
using System.Text;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Scripted;

/// <summary>
/// An in-memory agent with programmable results. Left alone it behaves like a well-written OCF agent that
/// keeps state per resource instance: start/stop/promote/demote change the state and succeed, monitor
/// answers 0, 7 or 8, validate-all and meta-data succeed. Steps set with <see cref="Always"/> or queued with
/// <see cref="Next"/> override an action (delays, hangs, crashes, any exit code). Thread-safe.
/// </summary>
public sealed class ScriptedAgent
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ScriptedState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScriptedStep> _always = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<ScriptedStep>> _next = new(StringComparer.Ordinal);
    private readonly List<ScriptedCall> _calls = [];

    public ScriptedAgent(string path) => Path = path;

    public string Path { get; }

    /// <summary>The meta-data XML the agent prints.</summary>
    public string MetadataXml { get; set; } =
        "<?xml version=\"1.0\"?><resource-agent name=\"scripted\"><version>1.0</version><shortdesc lang=\"en\">Scripted test agent</shortdesc><parameters/><actions><action name=\"start\" timeout=\"20s\"/><action name=\"stop\" timeout=\"20s\"/><action name=\"monitor\" timeout=\"20s\" interval=\"10s\"/><action name=\"meta-data\" timeout=\"5s\"/></actions></resource-agent>";

    public IReadOnlyList<ScriptedCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>From now on, <paramref name="action"/> does <paramref name="step"/> (until <see cref="Reset"/>).</summary>
    public ScriptedAgent Always(string action, ScriptedStep step)
    {
        lock (_lock)
        {
            _always[action] = step;
        }
        return this;
    }

    /// <summary>The next call of <paramref name="action"/> does <paramref name="step"/>; queued steps run in order.</summary>
    public ScriptedAgent Next(string action, ScriptedStep step)
    {
        lock (_lock)
        {
            if (!_next.TryGetValue(action, out var queue))
            {
                _next[action] = queue = new Queue<ScriptedStep>();
            }
            queue.Enqueue(step);
        }
        return this;
    }

    public void Reset(string action)
    {
        lock (_lock)
        {
            _always.Remove(action);
            _next.Remove(action);
        }
    }

    public ScriptedState StateOf(string instance)
    {
        lock (_lock)
        {
            return _states.GetValueOrDefault(instance, ScriptedState.Stopped);
        }
    }

    /// <summary>Changes the state behind the agent's back, as a crash of the service would.</summary>
    public void SetState(string instance, ScriptedState state)
    {
        lock (_lock)
        {
            _states[instance] = state;
        }
    }

    /// <summary>Records the call and decides what it does (the default behaviour changes state at once;
    /// programmed steps leave the state alone).</summary>
    internal ScriptedStep Decide(ProcessSpec spec)
    {
        var input = spec.StandardInput is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null;
        var action = spec.Arguments.Count > 0 ? spec.Arguments[0] : FenceAction(input);
        var instance = spec.Environment.GetValueOrDefault("OCF_RESOURCE_INSTANCE")
            ?? (spec.Arguments.Count > 1 ? spec.Arguments[1] : Path);
        lock (_lock)
        {
            _calls.Add(new ScriptedCall(action, instance, spec.Environment, input));
            var step = _next.TryGetValue(action, out var queue) && queue.TryDequeue(out var queued) ? queued
                : _always.TryGetValue(action, out var always) ? always
                : null;
            if (step is null)
            {
                return Default(action, instance);
            }
            if (step.SetsState is { } state)
            {
                _states[instance] = state;
            }
            return step;
        }
    }

    private ScriptedStep Default(string action, string instance)
    {
        var state = _states.GetValueOrDefault(instance, ScriptedState.Stopped);
        switch (action)
        {
            case "start":
                _states[instance] = state == ScriptedState.Promoted ? state : ScriptedState.Started;
                return ScriptedStep.Exit(0);
            case "stop":
                _states[instance] = ScriptedState.Stopped;
                return ScriptedStep.Exit(0);
            case "promote" when state == ScriptedState.Stopped:
                return ScriptedStep.Exit(7, "cannot promote a stopped instance");
            case "promote":
                _states[instance] = ScriptedState.Promoted;
                return ScriptedStep.Exit(0);
            case "demote" when state == ScriptedState.Stopped:
                return ScriptedStep.Exit(7, "cannot demote a stopped instance");
            case "demote":
                _states[instance] = ScriptedState.Started;
                return ScriptedStep.Exit(0);
            case "monitor" or "status":
                return ScriptedStep.Exit(state switch
                {
                    ScriptedState.Started => 0,
                    ScriptedState.Promoted => 8,
                    _ => 7,
                });
            case "meta-data" or "metadata":
                return new ScriptedStep { Stdout = MetadataXml };
            case "validate-all" or "notify" or "reload" or "reload-agent" or "migrate_to" or "migrate_from":
                return ScriptedStep.Exit(0);
            default:
                return ScriptedStep.Exit(3, string.Create(CultureInfo.InvariantCulture, $"action {action} not implemented"));
        }
    }

    private static string FenceAction(string? input) =>
        input?.Split('\n').FirstOrDefault(l => l.StartsWith("action=", StringComparison.Ordinal))?["action=".Length..] ?? "";
}

/// <summary>The state a scripted agent keeps for one resource instance.</summary>
public enum ScriptedState
{
    Stopped,
    Started,
    Promoted,
}
