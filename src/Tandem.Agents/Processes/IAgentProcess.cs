namespace Tandem.Agents.Processes;

/// <summary>A running agent process and its process group.</summary>
public interface IAgentProcess : IDisposable
{
    /// <summary>The process id, which is also its process group and session id.</summary>
    int Id { get; }

    /// <summary>Completes when the process has exited and its output has been collected.</summary>
    Task<ProcessExit> Exited { get; }

    /// <summary>
    /// Ends the whole process group: SIGTERM, then SIGKILL once <paramref name="grace"/> has passed while any
    /// member is still alive. Completes when the group is gone (or, for a member stuck in the kernel,
    /// once SIGKILL has been sent).
    /// </summary>
    Task TerminateGroupAsync(TimeSpan grace);

    /// <summary>Whether any process of the group is still alive.</summary>
    bool IsGroupAlive { get; }
}
