namespace Tandem.Model.Status;

/// <summary>
/// What the cluster last recorded about one node (a CIB <c>node_state</c>): membership, controller and
/// join state, transient attributes (fail counts, promotion scores, standby, shutdown) and the operation
/// history of every resource that ever ran or was probed there.
/// </summary>
public sealed record NodeState
{
    public required string Id { get; init; }
    public required string Uname { get; init; }
    /// <summary><c>in_ccm</c>: whether the membership layer sees the node (true/false or a timestamp).</summary>
    public string? InCcm { get; init; }
    /// <summary><c>crmd</c>: online/offline (or a timestamp) for the node's controller.</summary>
    public string? Crmd { get; init; }
    /// <summary><c>join</c>: member, down, pending or banned.</summary>
    public string? Join { get; init; }
    /// <summary><c>expected</c>: member or down, what the coordinator expects of the node.</summary>
    public string? Expected { get; init; }
    public string? RemoteNode { get; init; }
    public string? NodeFenced { get; init; }
    public string? InMaintenance { get; init; }
    public required IReadOnlyList<AttributeSet> TransientAttributes { get; init; }
    /// <summary>Whether the entry has an <c>lrm</c> section at all (absent after fencing cleared it).</summary>
    public bool HasResourceHistory { get; init; }
    public required IReadOnlyList<ResourceHistory> Resources { get; init; }
}
