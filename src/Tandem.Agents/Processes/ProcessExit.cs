namespace Tandem.Agents.Processes;

/// <summary>How a process ended: an exit code, or the signal that killed it, and what it printed.</summary>
public sealed record ProcessExit(int? ExitCode, int? Signal, CapturedOutput Stdout, CapturedOutput Stderr)
{
    public static ProcessExit Exited(int code, CapturedOutput stdout, CapturedOutput stderr) => new(code, null, stdout, stderr);

    public static ProcessExit Killed(int signal, CapturedOutput stdout, CapturedOutput stderr) => new(null, signal, stdout, stderr);
}
