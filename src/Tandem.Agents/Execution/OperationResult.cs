namespace Tandem.Agents.Execution;

/// <summary>
/// The outcome of one operation: the normalised status and OCF exit code, how far a failure reaches, the
/// agent's exit reason, and bounded output. <see cref="ExitCode"/> is OCF-normalised (an LSB status 3
/// becomes 7, a fence agent's "off" becomes 7); <see cref="RawExitCode"/> is what the process returned.
/// </summary>
public sealed record OperationResult
{
    public required string ResourceId { get; init; }

    public required string Action { get; init; }

    public long IntervalMs { get; init; }

    public required OperationStatus Status { get; init; }

    public OcfExitCode ExitCode { get; init; }

    public int? RawExitCode { get; init; }

    /// <summary>The signal that ended the agent, when it did not exit by itself.</summary>
    public int? Signal { get; init; }

    public ErrorClass ErrorClass { get; init; }

    public string? ExitReason { get; init; }

    public string Stdout { get; init; } = "";

    public string Stderr { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public TimeSpan Duration { get; init; }

    public bool IsSuccess => Status is OperationStatus.Success or OperationStatus.Promoted
        or OperationStatus.Degraded or OperationStatus.DegradedPromoted;

    /// <summary>Whether a recurring monitor should report <paramref name="next"/> after this result.</summary>
    public bool DiffersFrom(OperationResult next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Status != next.Status || ExitCode != next.ExitCode || ExitReason != next.ExitReason;
    }

    public override string ToString() =>
        $"{ResourceId}_{Action}_{IntervalMs}: {Status} (exit {(int)ExitCode}{(Signal is { } s ? $", signal {s}" : "")}{(ExitReason is null ? "" : $", {ExitReason}")})";
}
