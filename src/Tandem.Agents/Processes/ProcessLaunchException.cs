namespace Tandem.Agents.Processes;

/// <summary>Why an agent could not be executed at all.</summary>
public enum LaunchFailure
{
    /// <summary>The executable does not exist (ENOENT).</summary>
    NotFound,

    /// <summary>The executable exists but may not be executed (EACCES, ENOEXEC).</summary>
    NotExecutable,

    /// <summary>Anything else (out of processes, memory, descriptors).</summary>
    SystemError,
}

/// <summary>An agent that could not be started; the executor maps it to an OCF result (5 or 4 or 1).</summary>
public sealed class ProcessLaunchException : Exception
{
    public ProcessLaunchException(LaunchFailure failure, string message)
        : base(message) => Failure = failure;

    public ProcessLaunchException() : this(LaunchFailure.SystemError, "the agent could not be started") { }

    public ProcessLaunchException(string message) : this(LaunchFailure.SystemError, message) { }

    public ProcessLaunchException(string message, Exception innerException)
        : base(message, innerException) => Failure = LaunchFailure.SystemError;

    public LaunchFailure Failure { get; }
}
