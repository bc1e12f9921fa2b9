namespace Tandem.Model.Status;

/// <summary>
/// A resource's operation history on one node (a CIB <c>lrm_resource</c>). The id may name a clone
/// instance (<c>rsc:2</c>) or a resource that no longer exists in the configuration (an orphan).
/// </summary>
public sealed record ResourceHistory
{
    public required string Id { get; init; }
    public string? Class { get; init; }
    public string? Provider { get; init; }
    public string? Type { get; init; }
    /// <summary>The container resource this one runs inside, when recorded.</summary>
    public string? Container { get; init; }
    /// <summary>Epoch seconds at which a shutdown lock was taken, when one is recorded.</summary>
    public long? ShutdownLock { get; init; }
    /// <summary>Entries in document order (schedulers sort them by call id).</summary>
    public required IReadOnlyList<OperationRecord> Operations { get; init; }
}
