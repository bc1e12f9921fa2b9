using System.Collections.Concurrent;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Scripted;

/// <summary>
/// The in-memory twin of <see cref="PosixProcessLauncher"/>: "processes" are scripted agents registered by
/// executable path, and every delay, hang and grace period runs on the given <see cref="TimeProvider"/>, so a
/// simulation with a manual clock is deterministic.
/// </summary>
public sealed class ScriptedAgentLauncher(TimeProvider time) : IProcessLauncher
{
    private readonly ConcurrentDictionary<string, ScriptedAgent> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, ScriptedProcess> _running = new();
    private int _nextPid = 1000;

    /// <summary>Registers (or returns) the scripted agent at an executable path, e.g.
    /// /usr/lib/ocf/resource.d/heartbeat/Dummy or /etc/init.d/foo.</summary>
    public ScriptedAgent Define(string path) => _agents.GetOrAdd(path, p => new ScriptedAgent(p));

    /// <summary>Processes started and not yet ended (a hung agent stays here until it is killed).</summary>
    public int RunningCount => _running.Count;

    public IAgentProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!_agents.TryGetValue(spec.Path, out var agent))
        {
            throw new ProcessLaunchException(LaunchFailure.NotFound, $"{spec.Path} does not exist");
        }
        var step = agent.Decide(spec);
        var process = new ScriptedProcess(Interlocked.Increment(ref _nextPid), step, spec.Limits, time, p => _running.TryRemove(p.Id, out _));
        _running[process.Id] = process;
        process.Run();
        return process;
    }
}
