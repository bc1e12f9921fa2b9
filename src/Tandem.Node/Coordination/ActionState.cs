namespace Tandem.Node.Coordination;

/// <summary>Where one action of a transition stands.</summary>
public enum ActionState
{
    /// <summary>Waiting for its inputs.</summary>
    Waiting,

    /// <summary>Sent to an executor (or the fencer); its result has not come back.</summary>
    InFlight,

    /// <summary>Done with the expected result (pseudo-actions are confirmed when their inputs are).</summary>
    Confirmed,

    /// <summary>Done with another result, or timed out: the transition is aborted.</summary>
    Failed,

    /// <summary>Never fired: the transition was aborted before its inputs completed.</summary>
    Skipped,
}
