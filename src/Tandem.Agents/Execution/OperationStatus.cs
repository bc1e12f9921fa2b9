namespace Tandem.Agents.Execution;

/// <summary>What an operation found or did, independent of the agent's standard.</summary>
public enum OperationStatus
{
    /// <summary>The action succeeded; for a monitor: running (unpromoted where that matters).</summary>
    Success,

    /// <summary>Cleanly stopped (OCF 7). Expected from a probe of an inactive resource, a failure elsewhere.</summary>
    NotRunning,

    /// <summary>Running in the promoted role (OCF 8).</summary>
    Promoted,

    /// <summary>Failed while promoted (OCF 9): always a failure.</summary>
    FailedPromoted,

    /// <summary>Running but degraded (OCF 190): healthy enough to keep, worth reporting.</summary>
    Degraded,

    /// <summary>Promoted but degraded (OCF 191).</summary>
    DegradedPromoted,

    /// <summary>The agent reported an error; <see cref="OperationResult.ErrorClass"/> says how bad.</summary>
    Error,

    /// <summary>The agent did not finish within the operation's timeout and was killed with its process group.</summary>
    Timeout,

    /// <summary>The operation was cancelled before it completed (its process group was killed).</summary>
    Cancelled,
}
