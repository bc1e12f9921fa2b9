using Tandem.Bus;

namespace Tandem.Node.Membership;

/// <summary>
/// What this daemon knows about membership at one moment; immutable, safe to share. <paramref name="ChangedAt"/>
/// is when the daemon applied the latest view or quorum change. <paramref name="LeftCleanly"/> holds the nodes
/// whose daemon last left the group on purpose (a clean shutdown: their absence needs no fencing).
/// <paramref name="Elected"/> is the member elected in this view, quorate or not; <paramref name="Coordinator"/>
/// is the same member only while the partition is quorate.
/// </summary>
public sealed record MembershipSnapshot(
    bool Connected,
    BusMember? Self,
    IReadOnlyList<BusMember> Members,
    bool Quorate,
    IReadOnlyList<uint> QuorumNodes,
    ulong RingSeq,
    BusMember? Coordinator,
    bool ElectionPending,
    IReadOnlyDictionary<BusMember, string> Names,
    DateTimeOffset? ChangedAt,
    IReadOnlySet<uint> LeftCleanly,
    BusMember? Elected)
{
    public static readonly MembershipSnapshot Disconnected =
        new(false, null, [], false, [], 0, null, false, new Dictionary<BusMember, string>(), null, new HashSet<uint>(), null);

    /// <summary>True when this daemon is the coordinator of a quorate partition.</summary>
    public bool IsCoordinator => Self is { } self && Coordinator == self;
}
