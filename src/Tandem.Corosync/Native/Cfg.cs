using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tandem.Corosync.Native;

/// <summary>libcfg (corosync/cfg.h): the local node id and each node's knet link status.</summary>
internal static unsafe partial class Cfg
{
    private const string Library = "libcfg.so.7";

    /// <summary>CFG_NODE_STATUS_V1.</summary>
    public const int NodeStatusV1 = 1;

    /// <summary>CFG_MAX_HOST_LEN.</summary>
    public const int MaxHostLength = 256;

    /// <summary>CFG_MAX_LINKS.</summary>
    public const int MaxLinks = 8;

    /// <summary>corosync_cfg_callbacks_t; Tandem registers no shutdown callback.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Callbacks
    {
        public nint ShutdownCallback;
    }

    /// <summary>struct corosync_knet_link_status_v1.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct KnetLinkStatusV1
    {
        public byte Enabled;
        public byte Connected;
        public byte DynConnected;
        public uint Mtu;
        public fixed byte SourceAddress[MaxHostLength];
        public fixed byte DestinationAddress[MaxHostLength];
    }

    [InlineArray(MaxLinks)]
    public struct KnetLinks
    {
        private KnetLinkStatusV1 _first;
    }

    /// <summary>struct corosync_cfg_node_status_v1.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NodeStatusV1Data
    {
        public int Version;
        public uint NodeId;
        public byte Reachable;
        public byte Remote;
        public byte External;
        public byte OnwireMin;
        public byte OnwireMax;
        public byte OnwireVersion;
        public KnetLinks Links;
    }

    [LibraryImport(Library, EntryPoint = "corosync_cfg_initialize")]
    public static partial CsError Initialize(ulong* handle, Callbacks* callbacks);

    [LibraryImport(Library, EntryPoint = "corosync_cfg_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "corosync_cfg_local_get")]
    public static partial CsError LocalGet(ulong handle, uint* localNodeId);

    [LibraryImport(Library, EntryPoint = "corosync_cfg_node_status_get")]
    public static partial CsError NodeStatusGet(ulong handle, uint nodeId, int version, NodeStatusV1Data* status);
}
