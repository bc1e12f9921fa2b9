namespace Tandem.Bus;

/// <summary>
/// The words in <see cref="QuorumInfo.Flags"/>: votequorum's flags, spelled as <c>corosync-quorumtool</c>
/// prints them, so an operator reads the same words in both.
/// </summary>
public static class QuorumFlags
{
    /// <summary>two_node: a two-node cluster where each node alone keeps quorum (after it saw its peer).</summary>
    public const string TwoNode = "2Node";

    /// <summary>This node's partition has quorum.</summary>
    public const string Quorate = "Quorate";

    /// <summary>wait_for_all: quorum is granted only after all nodes were seen at once.</summary>
    public const string WaitForAll = "WaitForAll";

    public const string LastManStanding = "LastManStanding";

    public const string AutoTieBreaker = "AutoTieBreaker";

    public const string AllowDownscale = "AllowDownscale";

    /// <summary>A quorum device is registered on this node.</summary>
    public const string Qdevice = "Qdevice";

    /// <summary>The quorum device daemon on this node is alive (talks to its arbiter).</summary>
    public const string QdeviceAlive = "QdeviceAlive";

    /// <summary>The quorum device casts its vote for this node's partition.</summary>
    public const string QdeviceCastVote = "QdeviceCastVote";

    public const string QdeviceMasterWins = "QdeviceMasterWins";
}
