namespace Tandem.Cli;

/// <summary>An error the user can act on: printed as one line on stderr, then the CLI exits non-zero.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
