namespace Tandem.Agents.Processes;

/// <summary>
/// One agent process to start: an absolute executable path, its arguments (argv[1..]), the complete
/// environment, optional bytes for stdin (fence agents read their parameters there; otherwise stdin is
/// /dev/null) and the bounds on what is kept of its output.
/// </summary>
public sealed record ProcessSpec(
    string Path,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    ReadOnlyMemory<byte>? StandardInput,
    OutputLimits Limits)
{
    /// <summary>Agents run from / as under Pacemaker, so no agent depends on the daemon's working directory.</summary>
    public string WorkingDirectory { get; init; } = "/";
}
