namespace Tandem.Agents.Processes;

/// <summary>
/// Starts agent processes, each the leader of a new session and process group so that a timeout or a
/// cancellation can end it with everything it spawned. The real implementation is
/// <see cref="PosixProcessLauncher"/>; the simulator uses <see cref="Scripted.ScriptedAgentLauncher"/>.
/// </summary>
public interface IProcessLauncher
{
    /// <summary>Starts the process; throws <see cref="ProcessLaunchException"/> when it cannot be executed.</summary>
    IAgentProcess Start(ProcessSpec spec);
}
