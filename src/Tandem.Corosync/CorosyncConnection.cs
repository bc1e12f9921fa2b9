using System.Runtime.InteropServices;
using System.Text;
using Tandem.Bus;
using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>What a <see cref="CorosyncConnection"/> reports from inside the libraries' dispatch calls.</summary>
internal interface ICorosyncListener
{
    void OnMessage(BusMember sender, byte[] payload);

    void OnConfchg(CorosyncEventAssembler.Confchg change);

    void OnTotemConfchg(ulong ringSeq);

    void OnQuorum(bool quorate, ulong ringSeq, uint[] nodes);
}

/// <summary>
/// One connection to the local corosync: a CPG handle joined to the group, a quorum handle tracking
/// changes, and votequorum, cmap and cfg handles for <see cref="ClusterInfo"/>. Not thread-safe: the bus
/// calls it from its dispatch thread only, and callbacks run inside <see cref="DispatchCpg"/> and
/// <see cref="DispatchQuorum"/> on that thread. When corosync goes away the calls fail with
/// CS_ERR_LIBRARY; the bus then disposes this connection and opens a new one.
/// </summary>
internal sealed unsafe class CorosyncConnection : IDisposable
{
    private readonly ICorosyncListener _listener;
    private GCHandle _self;
    private ulong _cpg;
    private ulong _quorum;
    private ulong _votequorum;
    private ulong _cmap;
    private ulong _cfg;
    private Cpg.Name _group;

    private CorosyncConnection(ICorosyncListener listener)
    {
        _listener = listener;
        _self = GCHandle.Alloc(this);
    }

    public uint LocalNodeId { get; private set; }

    public int CpgFd { get; private set; } = -1;

    public int QuorumFd { get; private set; } = -1;

    /// <summary>The largest payload one cpg_mcast_joined carries without fragmenting.</summary>
    public int MaxMessageBytes { get; private set; }

    /// <summary>An exception thrown by a callback; callbacks cannot throw into native code, so the bus checks this after dispatching.</summary>
    public Exception? CallbackFault { get; private set; }

    /// <summary>Connects every library and joins the group; throws <see cref="CorosyncException"/> if corosync is not there.</summary>
    public static CorosyncConnection Open(string groupName, ICorosyncListener listener)
    {
        var connection = new CorosyncConnection(listener);
        try
        {
            connection.Initialize(groupName);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The group name as CPG carries it; refuses a name CPG cannot carry.</summary>
    public static Cpg.Name GroupName(string groupName)
    {
        var bytes = Encoding.UTF8.GetBytes(groupName);
        if (bytes.Length == 0 || bytes.Length >= Cpg.MaxNameLength)
        {
            throw new ArgumentException($"group name '{groupName}': must be 1 to {Cpg.MaxNameLength - 1} bytes", nameof(groupName));
        }
        var name = new Cpg.Name { Length = (uint)bytes.Length };
        bytes.CopyTo(new Span<byte>(name.Value, Cpg.MaxNameLength));
        return name;
    }

    private void Initialize(string groupName)
    {
        _group = GroupName(groupName);
        var context = GCHandle.ToIntPtr(_self);

        var model = new Cpg.ModelV1Data
        {
            Model = Cpg.ModelV1,
            Deliver = &OnCpgDeliver,
            Confchg = &OnCpgConfchg,
            TotemConfchg = &OnCpgTotemConfchg,
            Flags = Cpg.DeliverInitialTotemConf,
        };
        ulong handle;
        CorosyncException.ThrowIfFailed(Cpg.ModelInitialize(&handle, Cpg.ModelV1, &model, context), "cpg_model_initialize");
        _cpg = handle;
        uint nodeId;
        CorosyncException.ThrowIfFailed(Cpg.LocalGet(_cpg, &nodeId), "cpg_local_get");
        LocalNodeId = nodeId;
        int fd;
        CorosyncException.ThrowIfFailed(Cpg.FdGet(_cpg, &fd), "cpg_fd_get");
        CpgFd = fd;
        uint maxSize;
        CorosyncException.ThrowIfFailed(Cpg.MaxAtomicMsgsizeGet(_cpg, &maxSize), "cpg_max_atomic_msgsize_get");
        MaxMessageBytes = (int)Math.Min(maxSize, (uint)ClusterBusLimits.MaxMessageBytes);

        var quorumModel = new Quorum.ModelV1Data { Model = Quorum.ModelV1, QuorumNotify = &OnQuorumNotify };
        uint quorumType;
        CorosyncException.ThrowIfFailed(Quorum.ModelInitialize(&handle, Quorum.ModelV1, &quorumModel, &quorumType, context), "quorum_model_initialize");
        _quorum = handle;
        CorosyncException.ThrowIfFailed(Quorum.FdGet(_quorum, &fd), "quorum_fd_get");
        QuorumFd = fd;
        CorosyncException.ThrowIfFailed(Quorum.TrackStart(_quorum, CsTrackFlags.Current | CsTrackFlags.Changes), "quorum_trackstart");

        var voteCallbacks = default(Votequorum.Callbacks);
        CorosyncException.ThrowIfFailed(Votequorum.Initialize(&handle, &voteCallbacks), "votequorum_initialize");
        _votequorum = handle;
        CorosyncException.ThrowIfFailed(Cmap.Initialize(&handle), "cmap_initialize");
        _cmap = handle;
        var cfgCallbacks = default(Cfg.Callbacks);
        CorosyncException.ThrowIfFailed(Cfg.Initialize(&handle, &cfgCallbacks), "corosync_cfg_initialize");
        _cfg = handle;

        fixed (Cpg.Name* group = &_group)
        {
            CorosyncException.ThrowIfFailed(Cpg.Join(_cpg, group), "cpg_join");
        }
    }

    public CsError DispatchCpg() => Cpg.Dispatch(_cpg, CsDispatchFlags.All);

    public CsError DispatchQuorum() => Quorum.Dispatch(_quorum, CsDispatchFlags.All);

    /// <summary>Multicasts in agreed order. CS_ERR_TRY_AGAIN means flow control: try again shortly.</summary>
    public CsError Multicast(ReadOnlyMemory<byte> payload)
    {
        using var pin = payload.Pin();
        var iov = new Cpg.IoVec { Base = pin.Pointer, Length = (nuint)payload.Length };
        return Cpg.McastJoined(_cpg, Cpg.Guarantee.Agreed, &iov, 1);
    }

    /// <summary>Reads names, votes, quorum, links and totem settings from cmap, votequorum and cfg.</summary>
    public ClusterInfo ReadInfo()
    {
        var cmap = new CmapReader(_cmap);
        var clusterName = cmap.GetString("totem.cluster_name") ?? "";
        var nodes = new List<NodeInfo>();
        for (var index = 0; cmap.GetUInt32($"nodelist.node.{index}.nodeid") is { } nodeId; index++)
        {
            var name = cmap.GetString($"nodelist.node.{index}.name")
                ?? cmap.GetString($"nodelist.node.{index}.ring0_addr")
                ?? $"node{nodeId}";
            var votes = cmap.GetUInt32($"nodelist.node.{index}.quorum_votes") ?? 1;
            nodes.Add(new NodeInfo(nodeId, name, IsMember(nodeId)) { Votes = votes });
        }

        Votequorum.Info info;
        CorosyncException.ThrowIfFailed(Votequorum.GetInfo(_votequorum, LocalNodeId, &info), "votequorum_getinfo");
        var quorum = new QuorumInfo(
            info.Flags.HasFlag(Votequorum.InfoFlags.Quorate),
            info.NodeExpectedVotes,
            info.TotalVotes,
            info.Quorum,
            QuorumFlagWords.From(info.Flags));

        var links = new List<LinkInfo>();
        foreach (var node in nodes.Where(n => n.NodeId != LocalNodeId))
        {
            Cfg.NodeStatusV1Data status;
            var error = Cfg.NodeStatusGet(_cfg, node.NodeId, Cfg.NodeStatusV1, &status);
            if (error is CsError.Library or CsError.BadHandle)
            {
                throw new CorosyncException("corosync_cfg_node_status_get", error);
            }
            if (error != CsError.Ok)
            {
                // knet does not know the node (yet): no link to report.
                continue;
            }
            for (var link = 0; link < Cfg.MaxLinks; link++)
            {
                if (status.Links[link].Enabled != 0)
                {
                    links.Add(new LinkInfo(node.NodeId, link, status.Links[link].Connected != 0));
                }
            }
        }

        // Settings in force (runtime.config.totem.*) over the configured ones (totem.*).
        var totem = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in cmap.ReadPrefix("totem."))
        {
            totem[key["totem.".Length..]] = value;
        }
        foreach (var (key, value) in cmap.ReadPrefix("runtime.config.totem."))
        {
            totem[key["runtime.config.totem.".Length..]] = value;
        }
        return new ClusterInfo(clusterName, LocalNodeId, nodes, quorum, links, totem);
    }

    private bool IsMember(uint nodeId)
    {
        Votequorum.Info info;
        var error = Votequorum.GetInfo(_votequorum, nodeId, &info);
        if (error is CsError.Library or CsError.BadHandle)
        {
            throw new CorosyncException("votequorum_getinfo", error);
        }
        return error == CsError.Ok && info.NodeState == Votequorum.NodeStateMember;
    }

    /// <summary>Leaves the group on purpose, so the others see LEAVE rather than PROCDOWN.</summary>
    public void Leave()
    {
        fixed (Cpg.Name* group = &_group)
        {
            Cpg.Leave(_cpg, group);
        }
    }

    public void Dispose()
    {
        if (_cpg != 0)
        {
            Cpg.Finalize(_cpg);
            _cpg = 0;
        }
        if (_quorum != 0)
        {
            Quorum.Finalize(_quorum);
            _quorum = 0;
        }
        if (_votequorum != 0)
        {
            Votequorum.Finalize(_votequorum);
            _votequorum = 0;
        }
        if (_cmap != 0)
        {
            Cmap.Finalize(_cmap);
            _cmap = 0;
        }
        if (_cfg != 0)
        {
            Cfg.Finalize(_cfg);
            _cfg = 0;
        }
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private static CorosyncConnection? FromContext(nint context) =>
        context == 0 ? null : GCHandle.FromIntPtr(context).Target as CorosyncConnection;

    private static CorosyncConnection? FromCpg(ulong handle)
    {
        nint context;
        return Cpg.ContextGet(handle, &context) == CsError.Ok ? FromContext(context) : null;
    }

    private static CorosyncConnection? FromQuorum(ulong handle)
    {
        nint context;
        return Quorum.ContextGet(handle, &context) == CsError.Ok ? FromContext(context) : null;
    }

    private static List<(BusMember, Cpg.Reason)> Entries(Cpg.Address* list, nuint count)
    {
        var entries = new List<(BusMember, Cpg.Reason)>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            entries.Add((new BusMember(list[i].NodeId, list[i].Pid), list[i].Reason));
        }
        return entries;
    }

    [UnmanagedCallersOnly]
    private static void OnCpgDeliver(ulong handle, Cpg.Name* group, uint nodeId, uint pid, void* message, nuint length)
    {
        var connection = FromCpg(handle);
        try
        {
            connection?._listener.OnMessage(new BusMember(nodeId, pid), new ReadOnlySpan<byte>(message, checked((int)length)).ToArray());
        }
        catch (Exception e)
        {
            connection?.CallbackFault ??= e;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCpgConfchg(
        ulong handle,
        Cpg.Name* group,
        Cpg.Address* members,
        nuint memberCount,
        Cpg.Address* left,
        nuint leftCount,
        Cpg.Address* joined,
        nuint joinedCount)
    {
        var connection = FromCpg(handle);
        try
        {
            var change = new CorosyncEventAssembler.Confchg(
                [.. Entries(members, memberCount).Select(e => e.Item1)],
                Entries(left, leftCount),
                Entries(joined, joinedCount));
            connection?._listener.OnConfchg(change);
        }
        catch (Exception e)
        {
            connection?.CallbackFault ??= e;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCpgTotemConfchg(ulong handle, Cpg.RingId ringId, uint memberCount, uint* members)
    {
        var connection = FromCpg(handle);
        try
        {
            connection?._listener.OnTotemConfchg(ringId.Seq);
        }
        catch (Exception e)
        {
            connection?.CallbackFault ??= e;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnQuorumNotify(ulong handle, uint quorate, Quorum.RingId ringId, uint memberCount, uint* members)
    {
        var connection = FromQuorum(handle);
        try
        {
            connection?._listener.OnQuorum(quorate != 0, ringId.Seq, new ReadOnlySpan<uint>(members, checked((int)memberCount)).ToArray());
        }
        catch (Exception e)
        {
            connection?.CallbackFault ??= e;
        }
    }
}
