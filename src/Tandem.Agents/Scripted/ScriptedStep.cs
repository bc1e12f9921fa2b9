namespace Tandem.Agents.Scripted;

/// <summary>
/// What a scripted agent does for one call: exit with a code (and an exit reason on stderr) after a delay,
/// or hang until killed (optionally ignoring SIGTERM, so only SIGKILL ends it), or crash with a signal.
/// </summary>
public sealed record ScriptedStep
{
    public int ExitCode { get; init; }

    public string? ExitReason { get; init; }

    public string Stdout { get; init; } = "";

    public string Stderr { get; init; } = "";

    public TimeSpan Delay { get; init; }

    /// <summary>Never exits by itself.</summary>
    public bool Hang { get; init; }

    /// <summary>Survives SIGTERM; only SIGKILL ends it.</summary>
    public bool IgnoresTerm { get; init; }

    /// <summary>Not even SIGKILL ends it (a process stuck in uninterruptible sleep, e.g. on a dead NFS
    /// server or a hung block device).</summary>
    public bool Unkillable { get; init; }

    /// <summary>The state the resource instance is in from this call on (programmed steps otherwise leave
    /// the state alone); e.g. a slow start that does start the service.</summary>
    public ScriptedState? SetsState { get; init; }

    /// <summary>Dies from this signal instead of exiting (11 for a segfault).</summary>
    public int? CrashSignal { get; init; }

    public static ScriptedStep Exit(int code, string? reason = null) => new() { ExitCode = code, ExitReason = reason };

    public static ScriptedStep Hung(bool ignoresTerm = false) => new() { Hang = true, IgnoresTerm = ignoresTerm };

    public static ScriptedStep Crash(int signal = 11) => new() { CrashSignal = signal };
}
