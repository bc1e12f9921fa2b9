using Tandem.Bus;

namespace Tandem.Node.Membership;

/// <summary>
/// What this daemon knows about membership at one moment; immutable, safe to share. <paramref name="ChangedAt"/>
/// is when the daemon applied the latest view or quorum change.
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
    DateTimeOffset? ChangedAt)
{
    public static readonly MembershipSnapshot Disconnected =
        new(false, null, [], false, [], 0, null, false, new Dictionary<BusMember, string>(), null);

    /// <summary>True when this daemon is the coordinator of a quorate partition.</summary>
    public bool IsCoordinator => Self is { } self && Coordinator == self;
}
