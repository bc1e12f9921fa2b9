using System.Runtime.InteropServices;

namespace Tandem.Corosync.Native;

/// <summary>libcpg (corosync/cpg.h): closed process groups, agreed-order multicast and membership.</summary>
internal static unsafe partial class Cpg
{
    private const string Library = "libcpg.so.4";

    /// <summary>CPG_MAX_NAME_LENGTH: a group name holds at most this many bytes.</summary>
    public const int MaxNameLength = 128;

    /// <summary>CPG_MEMBERS_MAX: libcpg's arrays hold at most this many members.</summary>
    public const int MembersMax = 128;

    /// <summary>CPG_MODEL_V1.</summary>
    public const int ModelV1 = 1;

    /// <summary>CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF: deliver the current ring after our own join.</summary>
    public const uint DeliverInitialTotemConf = 0x01;

    /// <summary>cpg_guarantee_t. Only AGREED (and FIFO, its alias) is implemented by corosync.</summary>
    public enum Guarantee
    {
        Unordered = 0,
        Fifo = 1,
        Agreed = 2,
        Safe = 3,
    }

    /// <summary>cpg_reason_t: why a process joined or left.</summary>
    public enum Reason : uint
    {
        Undefined = 0,
        Join = 1,
        Leave = 2,
        NodeDown = 3,
        NodeUp = 4,
        ProcDown = 5,
    }

    /// <summary>struct cpg_name.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Name
    {
        public uint Length;
        public fixed byte Value[MaxNameLength];
    }

    /// <summary>struct cpg_address.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Address
    {
        public uint NodeId;
        public uint Pid;
        public Reason Reason;
    }

    /// <summary>struct cpg_ring_id, passed by value to the totem confchg callback.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RingId
    {
        public uint NodeId;
        public ulong Seq;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>cpg_model_v1_data_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ModelV1Data
    {
        public int Model;
        public delegate* unmanaged<ulong, Name*, uint, uint, void*, nuint, void> Deliver;
        public delegate* unmanaged<ulong, Name*, Address*, nuint, Address*, nuint, Address*, nuint, void> Confchg;
        public delegate* unmanaged<ulong, RingId, uint, uint*, void> TotemConfchg;
        public uint Flags;
    }

    [LibraryImport(Library, EntryPoint = "cpg_model_initialize")]
    public static partial CsError ModelInitialize(ulong* handle, int model, ModelV1Data* modelData, nint context);

    [LibraryImport(Library, EntryPoint = "cpg_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "cpg_fd_get")]
    public static partial CsError FdGet(ulong handle, int* fd);

    [LibraryImport(Library, EntryPoint = "cpg_max_atomic_msgsize_get")]
    public static partial CsError MaxAtomicMsgsizeGet(ulong handle, uint* size);

    [LibraryImport(Library, EntryPoint = "cpg_context_get")]
    public static partial CsError ContextGet(ulong handle, nint* context);

    [LibraryImport(Library, EntryPoint = "cpg_dispatch")]
    public static partial CsError Dispatch(ulong handle, CsDispatchFlags flags);

    [LibraryImport(Library, EntryPoint = "cpg_join")]
    public static partial CsError Join(ulong handle, Name* group);

    [LibraryImport(Library, EntryPoint = "cpg_leave")]
    public static partial CsError Leave(ulong handle, Name* group);

    [LibraryImport(Library, EntryPoint = "cpg_mcast_joined")]
    public static partial CsError McastJoined(ulong handle, Guarantee guarantee, IoVec* iovec, uint iovLength);

    [LibraryImport(Library, EntryPoint = "cpg_local_get")]
    public static partial CsError LocalGet(ulong handle, uint* localNodeId);

    [LibraryImport(Library, EntryPoint = "cpg_membership_get")]
    public static partial CsError MembershipGet(ulong handle, Name* group, Address* members, int* memberCount);
}
