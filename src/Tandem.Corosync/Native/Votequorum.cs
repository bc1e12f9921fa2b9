using System.Runtime.InteropServices;

namespace Tandem.Corosync.Native;

/// <summary>libvotequorum (corosync/votequorum.h): vote accounting and quorum flags of a node.</summary>
internal static unsafe partial class Votequorum
{
    private const string Library = "libvotequorum.so.8";

    public const int QdeviceMaxNameLength = 255;

    /// <summary>VOTEQUORUM_NODESTATE_MEMBER.</summary>
    public const uint NodeStateMember = 1;

    /// <summary>VOTEQUORUM_INFO_* bits of <see cref="Info.Flags"/>.</summary>
    [Flags]
    public enum InfoFlags : uint
    {
        TwoNode = 1,
        Quorate = 2,
        WaitForAll = 4,
        LastManStanding = 8,
        AutoTieBreaker = 16,
        AllowDownscale = 32,
        QdeviceRegistered = 64,
        QdeviceAlive = 128,
        QdeviceCastVote = 256,
        QdeviceMasterWins = 512,
    }

    /// <summary>struct votequorum_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Info
    {
        public uint NodeId;
        public uint NodeState;
        public uint NodeVotes;
        public uint NodeExpectedVotes;
        public uint HighestExpected;
        public uint TotalVotes;
        public uint Quorum;
        public InfoFlags Flags;
        public uint QdeviceVotes;
        public fixed byte QdeviceName[QdeviceMaxNameLength];
    }

    /// <summary>votequorum_callbacks_t; Tandem registers none (it reads votes on demand).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Callbacks
    {
        public nint QuorumNotify;
        public nint ExpectedVotesNotify;
        public nint NodelistNotify;
    }

    [LibraryImport(Library, EntryPoint = "votequorum_initialize")]
    public static partial CsError Initialize(ulong* handle, Callbacks* callbacks);

    [LibraryImport(Library, EntryPoint = "votequorum_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "votequorum_getinfo")]
    public static partial CsError GetInfo(ulong handle, uint nodeId, Info* info);
}
