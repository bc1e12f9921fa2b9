namespace Tandem.Model.Status;

/// <summary>
/// One entry of a resource's operation history on a node (a CIB <c>lrm_rsc_op</c>): what ran, when, and
/// how it ended. Values are kept as recorded; absent numbers are null so readers can apply the defaults
/// Pacemaker applies (for example a missing call-id sorts as a pending operation).
/// </summary>
public sealed record OperationRecord
{
    /// <summary>History entry id, such as <c>rsc1_last_0</c> or <c>rsc1_last_failure_0</c>.</summary>
    public required string Id { get; init; }
    /// <summary>The action name: start, stop, monitor, promote, demote, migrate_to, migrate_from, notify.</summary>
    public required string Operation { get; init; }
    /// <summary><c>operation_key</c>, for example <c>rsc1_monitor_10000</c> (may be absent in old CIBs).</summary>
    public string? OperationKey { get; init; }
    /// <summary>Recurrence in milliseconds; 0 for one-shot actions and probes.</summary>
    public uint IntervalMs { get; init; }
    public int? CallId { get; init; }
    public int? RcCode { get; init; }
    /// <summary>Execution status (op-status): -1 pending, 0 done, 1 cancelled, 2 timeout, 3 not supported, 4 error, ...</summary>
    public int? OpStatus { get; init; }
    /// <summary>Seconds since the epoch when the result last changed.</summary>
    public long? LastRcChange { get; init; }
    public long? LastRun { get; init; }
    public long? ExecTimeMs { get; init; }
    public long? QueueTimeMs { get; init; }
    public TransitionKey? TransitionKey { get; init; }
    public string? TransitionMagic { get; init; }
    public string? OpDigest { get; init; }
    public string? OpRestartDigest { get; init; }
    public string? OpForceRestart { get; init; }
    public string? OpSecureParams { get; init; }
    public string? OpSecureDigest { get; init; }
    public string? MigrateSource { get; init; }
    public string? MigrateTarget { get; init; }
    public string? ExitReason { get; init; }
    /// <summary>The node the entry says it ran on (<c>on_node</c>), present in newer CIBs.</summary>
    public string? OnNode { get; init; }
    public string? CrmFeatureSet { get; init; }

    /// <summary>The result the cluster expected, from the transition key; -1 when there is none.</summary>
    public int TargetRc => TransitionKey?.TargetRc ?? -1;

    /// <summary>The operation key, falling back to the entry id as Pacemaker does.</summary>
    public string KeyOrId => OperationKey ?? Id;

    /// <summary>A probe is a non-recurring monitor.</summary>
    public bool IsProbe => IntervalMs == 0 && Operation == "monitor";
}
