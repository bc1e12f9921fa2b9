using Tandem.Bus;
using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>votequorum's flag bits as the words of <see cref="QuorumFlags"/>, in corosync-quorumtool's order.</summary>
internal static class QuorumFlagWords
{
    private static readonly (Votequorum.InfoFlags Bit, string Word)[] Words =
    [
        (Votequorum.InfoFlags.TwoNode, QuorumFlags.TwoNode),
        (Votequorum.InfoFlags.Quorate, QuorumFlags.Quorate),
        (Votequorum.InfoFlags.WaitForAll, QuorumFlags.WaitForAll),
        (Votequorum.InfoFlags.LastManStanding, QuorumFlags.LastManStanding),
        (Votequorum.InfoFlags.AutoTieBreaker, QuorumFlags.AutoTieBreaker),
        (Votequorum.InfoFlags.AllowDownscale, QuorumFlags.AllowDownscale),
        (Votequorum.InfoFlags.QdeviceRegistered, QuorumFlags.Qdevice),
        (Votequorum.InfoFlags.QdeviceAlive, QuorumFlags.QdeviceAlive),
        (Votequorum.InfoFlags.QdeviceCastVote, QuorumFlags.QdeviceCastVote),
        (Votequorum.InfoFlags.QdeviceMasterWins, QuorumFlags.QdeviceMasterWins),
    ];

    public static IReadOnlyList<string> From(Votequorum.InfoFlags flags) =>
        [.. Words.Where(w => flags.HasFlag(w.Bit)).Select(w => w.Word)];
}
