using System.Security.Cryptography;
using Tandem.Volumes.DataPlane;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Protocol;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Service;

/// <summary>
/// One replicated volume on this node while it is up: its disks and metadata, its state machine, the data
/// plane while Primary (FUSE image, loop device, /dev/tandem/NAME), and the link to the peer.
/// Control commands run under one lock; the data path (Volume.DataPath.cs) and the peer link
/// (Volume.Peer.cs) take only what they need.
/// </summary>
public sealed partial class Volume : IDisposable
{
    private const int FuseReaders = 4;
    private const int FuseSlots = 32;
    private const int MaxWrite = 1 << 20;

    private readonly VolumeDefinition _def;
    private readonly string _node;
    private readonly ReplicaDefinition _local;
    private readonly ReplicaDefinition _peer;
    private readonly VolumePaths _paths;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private readonly object _command = new();
    private readonly BackingDisk _data;
    private readonly BackingDisk? _metaDisk;
    private readonly MetadataStore _md;
    private readonly ReplicaStateMachine _sm;
    private readonly ActivityLog _al;
    private readonly IoFreeze _freeze = new();
    private readonly RangeLocks _ranges = new(FuseSlots + ResyncBuffers + 4);
    private FuseServer? _fuse;
    private LoopDevice? _loop;
    private long _epoch;
    private volatile bool _down;

    private Volume(VolumeDefinition def, string node, VolumePaths paths, Action<string> log)
    {
        _def = def;
        _node = node;
        _local = def.Local(node);
        _peer = def.Peer(node);
        _paths = paths;
        _log = m => log($"{def.Name}: {m}");
        var (data, meta, layout) = OpenDisks(def, _local, create: false);
        _data = data;
        _metaDisk = meta;
        try
        {
            _md = MetadataStore.Open((meta ?? data).AsBlockStore(), layout, def.Name);
        }
        catch
        {
            data.Dispose();
            meta?.Dispose();
            throw;
        }
        if (_md.LostBitmapPages > 0)
        {
            _log($"{_md.LostBitmapPages} bitmap page(s) unreadable: their blocks are taken as out of sync");
        }
        _sm = new ReplicaStateMachine(_md.Superblock, NewGenerationId, _log);
        if (_sm.CrashedPrimary && _md.LoadedActivityLog.Count > 0)
        {
            // The Primary crashed: writes into its hot extents may be on one replica only.
            foreach (var e in _md.LoadedActivityLog)
            {
                var offset = (long)e << ActivityLog.ExtentShift;
                if (offset < def.SizeBytes)
                {
                    _md.Bitmap.SetRange(offset, Math.Min(1L << ActivityLog.ExtentShift, def.SizeBytes - offset));
                }
            }
            _log($"crashed as Primary: {_md.LoadedActivityLog.Count} hot extent(s) marked out of sync");
        }
        _al = new ActivityLog(def.AlExtents, PersistActivityLog, Barrier);
        _al.Clear();
        PersistIfChanged();
        for (var i = 0; i < _resyncBuffers.Length; i++)
        {
            _resyncBuffers[i] = new AlignedBuffer(AlignedBuffer.PageSize + ResyncChunkBytes);
            _freeResyncBuffers.Push(i);
        }
    }

    public string Name => _def.Name;

    public VolumeDefinition Definition => _def;

    /// <summary>create-md: fresh metadata on this node's replica (creating a missing backing file).</summary>
    public static string CreateMetadata(VolumeDefinition def, string node, bool force)
    {
        var local = def.Local(node);
        var (data, meta, layout) = OpenDisks(def, local, create: true);
        using (data)
        using (meta)
        {
            var store = (meta ?? data).AsBlockStore();
            if (!force)
            {
                try
                {
                    MetadataStore.Open(store, layout, def.Name);
                    throw new VolumeStateException($"{def.Name}: {(meta ?? data).Path} already holds Tandem metadata; use --force to overwrite it (the replica then counts as never synced)");
                }
                catch (InvalidDataException)
                {
                }
            }
            MetadataStore.Create(store, layout, def.Name, def.AlExtents);
            return $"{def.Name}: metadata created on {(meta ?? data).Path} ({ByteSize.Format(layout.TotalBytes)}, {(local.InternalMetadata ? "internal" : "external")})";
        }
    }

    /// <summary>up: attach the replica and start connecting to the peer.</summary>
    public static Volume Up(VolumeDefinition def, string node, VolumePaths paths, Action<string> log)
    {
        var v = new Volume(def, node, paths, log);
        try
        {
            v.StartNetwork();
            v.Connect(false);
            return v;
        }
        catch
        {
            v.Dispose();
            throw;
        }
    }

    public void Promote(bool force)
    {
        lock (_command)
        {
            lock (_gate)
            {
                if (_sm.Role == Role.Primary)
                {
                    return;
                }
                _sm.Promote(force);
                PersistIfChanged();
            }
            // The data plane starts outside the state lock: the kernel's first I/O may need the peer link.
            try
            {
                StartDataPlane();
            }
            catch
            {
                StopDataPlane();
                lock (_gate)
                {
                    _sm.Demote();
                    PersistIfChanged();
                }
                throw;
            }
            _log($"promoted{(force ? " (forced)" : "")}: {_paths.DeviceLink(Name)} -> {_loop?.Path}");
            PeerLink? renegotiate;
            lock (_gate)
            {
                AnnounceState();
                renegotiate = _sm.IsConnected && _sm.PeerDisk != DiskState.UpToDate ? _link : null;
            }
            // The peer needs this new generation: negotiate again so the handshake starts the resync.
            renegotiate?.Close("new data generation after a forced promotion", graceful: false, outdatePeer: false);
        }
    }

    public void Demote()
    {
        lock (_command)
        {
            if (_sm.Role != Role.Primary)
            {
                return;
            }
            if (_loop is not null && _loop.InUse())
            {
                throw new VolumeStateException($"{_paths.DeviceLink(Name)} ({_loop.Path}) is in use (mounted?): unmount it first");
            }
            StopDataPlane();
            Durable(Barrier());
            _al.Clear();
            lock (_gate)
            {
                _sm.Demote();
                PersistIfChanged();
                AnnounceState();
            }
            _log("demoted");
        }
    }

    public void Connect(bool discardMyData)
    {
        lock (_command)
        {
            lock (_gate)
            {
                _sm.Connect(discardMyData);
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void Disconnect()
    {
        lock (_command)
        {
            PeerLink? link;
            bool outdatePeer;
            lock (_gate)
            {
                link = _link;
                outdatePeer = _sm.Role == Role.Primary && _sm.PeerRole == Role.Secondary;
                _link = null;
                _sm.Disconnect();
                PersistIfChanged();
            }
            if (link is not null)
            {
                link.Close("disconnect requested", graceful: true, outdatePeer: outdatePeer);
                link.Dispose();
            }
        }
    }

    /// <summary>outdate: mark this replica's data as older than the peer's (never promotable without --force).</summary>
    public void Outdate()
    {
        lock (_command)
        lock (_gate)
        {
            _sm.Outdate();
            PersistIfChanged();
        }
    }

    /// <summary>down: demote (refused while in use), disconnect, detach.</summary>
    public void Down()
    {
        Demote();
        Disconnect();
        Dispose();
    }

    public VolumeStatus Status()
    {
        lock (_gate)
        {
            var outOfSync = _md.Bitmap.Count * MetadataLayout.BlockSize;
            return new VolumeStatus
            {
                Name = Name, Node = _node, Peer = _peer.Node, Protocol = _def.Protocol.ToString(),
                Role = _sm.Role, PeerRole = _sm.PeerRole, Connection = _sm.Connection, Disk = _sm.Disk, PeerDisk = _sm.PeerDisk,
                SizeBytes = _def.SizeBytes,
                Device = _loop is null ? null : _paths.DeviceLink(Name),
                LoopDevice = _loop?.Path,
                OutOfSyncBytes = outOfSync,
                Resync = _sm.Connection is ConnectionState.SyncSource or ConnectionState.SyncTarget ? Progress(outOfSync) : null,
                LastResyncBytes = Interlocked.Read(ref _lastResyncBytes),
                Problem = _sm.Problem,
                GenerationIds = _sm.Superblock.Ids.ToString(),
                IoFrozen = _freeze.IsFrozen,
                DataPlaneAllocatedBytes = (_fuse?.AllocatedBytes ?? 0) + (_link?.AllocatedBytes ?? 0) + _retiredAllocatedBytes,
                ActivityLogTransactions = _al.Transactions,
            };
        }
    }

    public void Dispose()
    {
        _down = true;
        lock (_command)
        {
            StopDataPlane();
        }
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
        StopNetwork();
        _link?.Dispose();
        _resyncThread?.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            try
            {
                _md.WriteDirtyBitmapPages();
                _md.Flush();
            }
            catch (IOException e)
            {
                _log($"final metadata write failed: {e.Message}");
            }
        }
        _data.Dispose();
        _metaDisk?.Dispose();
        foreach (var b in _resyncBuffers)
        {
            b?.Dispose();
        }
    }

    private static (BackingDisk Data, BackingDisk? Meta, MetadataLayout Layout) OpenDisks(VolumeDefinition def, ReplicaDefinition local, bool create)
    {
        var mdBytes = MetadataLayout.MetadataBytes(def.SizeBytes);
        var dataNeeded = def.SizeBytes + (local.InternalMetadata ? mdBytes : 0);
        var data = BackingDisk.Open(local.Disk, create ? dataNeeded : 0);
        BackingDisk? meta = null;
        try
        {
            if (create)
            {
                data.EnsureFileSize(dataNeeded);
            }
            var dataSize = create ? Math.Max(data.SizeBytes, dataNeeded) : data.SizeBytes;
            if (dataSize < dataNeeded)
            {
                throw new VolumeStateException($"{def.Name}: backing disk {local.Disk} holds {dataSize} bytes; the volume needs {dataNeeded} ({ByteSize.Format(def.SizeBytes)} + {(local.InternalMetadata ? ByteSize.Format(mdBytes) + " internal metadata" : "0")})");
            }
            if (!local.InternalMetadata)
            {
                meta = BackingDisk.Open(local.MetaDisk, create ? mdBytes : 0);
                if (create)
                {
                    meta.EnsureFileSize(mdBytes);
                }
                else if (meta.SizeBytes < mdBytes)
                {
                    throw new VolumeStateException($"{def.Name}: metadata disk {local.MetaDisk} holds {meta.SizeBytes} bytes; it needs {mdBytes}");
                }
            }
            return (data, meta, new MetadataLayout(def.SizeBytes, local.InternalMetadata ? def.SizeBytes : 0));
        }
        catch
        {
            data.Dispose();
            meta?.Dispose();
            throw;
        }
    }

    private static ulong NewGenerationId()
    {
        Span<byte> b = stackalloc byte[8];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(b);
            id = BitConverter.ToUInt64(b);
        }
        while (id == 0);
        return id;
    }

    private void PersistActivityLog(ReadOnlySpan<int> extents)
    {
        // Bitmap marks of extents leaving the log must be on disk before the log forgets them.
        if (_md.WriteDirtyBitmapPages() > 0)
        {
            _md.Flush();
        }
        _md.WriteActivityLog(extents);
        _md.Flush();
    }

    /// <summary>Writes the superblock when the state machine changed it (caller holds the lock or owns the volume).</summary>
    private void PersistIfChanged()
    {
        if (_sm.TakeSuperblockChange())
        {
            _md.Commit(_sm.Superblock);
        }
    }

    private void StartDataPlane()
    {
        var mount = _paths.MountPoint(Name);
        CleanStaleMount(mount);
        _fuse = new FuseServer(mount, Name + ".img", _def.SizeBytes, this, FuseReaders, FuseSlots, MaxWrite, _log);
        _fuse.Start();
        _loop = LoopDevice.Attach(_fuse.ImagePath);
        Directory.CreateDirectory(_paths.DevDir);
        var link = _paths.DeviceLink(Name);
        File.Delete(link);
        File.CreateSymbolicLink(link, _loop.Path);
    }

    private void StopDataPlane()
    {
        var link = _paths.DeviceLink(Name);
        if (File.Exists(link) || Directory.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }
        if (_loop is not null)
        {
            _loop.Dispose();
            if (LoopDevice.IsAttached(_loop.Path))
            {
                _log($"{_loop.Path} is still open elsewhere: the kernel detaches it when that user closes it");
            }
            _loop = null;
        }
        if (_fuse is not null)
        {
            _retiredAllocatedBytes += _fuse.AllocatedBytes;
            _fuse.Dispose();
            _fuse = null;
        }
    }

    private void CleanStaleMount(string mount)
    {
        if (File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ') is { Length: > 4 } f && f[4] == mount))
        {
            _log($"{mount}: stale mount from an earlier run, detaching it");
            DataPlane.Libc.Umount2(mount, DataPlane.Libc.MNT_DETACH);
        }
    }

    private void AnnounceState()
    {
        var link = _link;
        link?.Enqueue(new OutgoingFrame(MessageType.StateChange, 0, StateMessage.Size, -1, CurrentState().Encode()));
    }

    private StateMessage CurrentState() => new(_def.SizeBytes, _def.Protocol, _sm.View(_md.Bitmap.Count), _sm.Disk);
}
