using System.Runtime.InteropServices;

namespace Tandem.Corosync.Native;

/// <summary>libquorum (corosync/quorum.h): quorate or not, and the nodes of the partition, on every change.</summary>
internal static unsafe partial class Quorum
{
    private const string Library = "libquorum.so.5";

    /// <summary>QUORUM_MODEL_V1: notifications carry the ring id.</summary>
    public const int ModelV1 = 1;

    /// <summary>QUORUM_FREE: no quorum provider is configured; the cluster is always quorate.</summary>
    public const uint TypeFree = 0;

    /// <summary>struct quorum_ring_id.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RingId
    {
        public uint NodeId;
        public ulong Seq;
    }

    /// <summary>quorum_model_v1_data_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ModelV1Data
    {
        public int Model;
        public delegate* unmanaged<ulong, uint, RingId, uint, uint*, void> QuorumNotify;
        public delegate* unmanaged<ulong, RingId, uint, uint*, uint, uint*, uint, uint*, void> NodelistNotify;
    }

    [LibraryImport(Library, EntryPoint = "quorum_model_initialize")]
    public static partial CsError ModelInitialize(ulong* handle, int model, ModelV1Data* modelData, uint* quorumType, nint context);

    [LibraryImport(Library, EntryPoint = "quorum_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "quorum_fd_get")]
    public static partial CsError FdGet(ulong handle, int* fd);

    [LibraryImport(Library, EntryPoint = "quorum_dispatch")]
    public static partial CsError Dispatch(ulong handle, CsDispatchFlags flags);

    [LibraryImport(Library, EntryPoint = "quorum_trackstart")]
    public static partial CsError TrackStart(ulong handle, CsTrackFlags flags);

    [LibraryImport(Library, EntryPoint = "quorum_context_get")]
    public static partial CsError ContextGet(ulong handle, nint* context);
}
