namespace Tandem.Bus;

/// <summary>
/// What the bus reports, in one stream per member. Messages and views are delivered in the same total
/// order on every member of a view (virtual synchrony): if two members both see view V and message M,
/// both see them in the same order. Quorum changes come from the quorum service and are ordered only
/// with respect to each other.
/// </summary>
public abstract record BusEvent;

/// <summary>The bus is connected and this process is a member of the group.</summary>
public sealed record BusConnected(BusMember Self) : BusEvent;

/// <summary>The connection to the membership service was lost (corosync stopped or crashed), or could not be
/// made when the bus started (then it is the first event). The bus keeps trying to reconnect; until the next
/// <see cref="BusConnected"/> this member is in no view and cannot send.</summary>
public sealed record BusDisconnected(string Reason) : BusEvent;

/// <summary>A message multicast by <paramref name="Sender"/>, delivered in agreed order.</summary>
public sealed record MessageDelivered(BusMember Sender, ReadOnlyMemory<byte> Payload) : BusEvent;

/// <summary>
/// The group's membership changed. <paramref name="Members"/>, <paramref name="Left"/> and
/// <paramref name="Joined"/> are sorted by node id, then pid; <c>Members</c> is the previous view's members
/// less <c>Left</c> plus <c>Joined</c>, except in the first view after <see cref="BusConnected"/>, whose
/// <c>Joined</c> names only this member (as corosync reports a join). <paramref name="RingSeq"/> is the corosync ring in force: a change
/// caused by nodes joining or leaving the partition carries the new ring's sequence number, a process joining
/// or leaving on its own keeps the current one.
/// </summary>
public sealed record ViewChanged(
    ulong RingSeq,
    IReadOnlyList<BusMember> Members,
    IReadOnlyList<BusMember> Left,
    IReadOnlyList<BusMember> Joined) : BusEvent
{
    private static readonly IReadOnlyDictionary<BusMember, LeaveReason> NoReasons = new Dictionary<BusMember, LeaveReason>();

    /// <summary>Why each member of <see cref="Left"/> left.</summary>
    public IReadOnlyDictionary<BusMember, LeaveReason> LeftReasons { get; init; } = NoReasons;
}

/// <summary>The quorum state of this node's partition. <paramref name="Nodes"/> are the node ids in it.</summary>
public sealed record QuorumChanged(bool Quorate, ulong RingSeq, IReadOnlyList<uint> Nodes) : BusEvent;
