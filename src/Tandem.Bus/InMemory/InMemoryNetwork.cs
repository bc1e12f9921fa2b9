using ProcessState = Tandem.Bus.InMemory.InMemoryClusterBus.ProcessState;

namespace Tandem.Bus.InMemory;

/// <summary>The simulated state of a node's machine and its corosync.</summary>
public enum SimulatedNodeState
{
    /// <summary>Powered off (never started, or crashed): no corosync, no processes.</summary>
    Off,

    /// <summary>corosync runs; the node is in the partition its links allow.</summary>
    Up,

    /// <summary>The machine runs but corosync does not: its processes live on, disconnected.</summary>
    CorosyncStopped,
}

/// <summary>
/// A whole cluster's membership layer in one process, with corosync's guarantees and nothing but what
/// the test asks for: no threads, no clock. Processes connect with <see cref="Connect"/> and multicast;
/// messages wait in their partition until the test delivers them (<see cref="Step"/>,
/// <see cref="DeliverAll"/>). Faults are method calls: partitions and merges, node crashes and restarts,
/// corosync stopping, process crashes, the quorum device's arbiter becoming unreachable.
/// <para>
/// Guarantees, as corosync's extended virtual synchrony gives them:
/// agreed order (all members of a partition deliver its messages in one order); sender order; views are
/// delivered at the same point of the message stream to every member that moves from one view to the
/// next together, and such members delivered the same messages in the view they leave; a member that
/// stays connected delivers all its own messages. Messages in flight when the partition splits reach a
/// part of the old partition only if it holds them (decided by the seeded random source): the sender's
/// part always delivers them, before or after its new view; the others deliver a prefix of each sender's
/// messages or nothing. Quorum follows votequorum (<see cref="VotequorumCalculation"/>, wait_for_all,
/// two_node, and a quorum device with the ffsplit algorithm: the largest partition that reaches the
/// arbiter gets its vote, ties go to the partition with the lowest node id).
/// </para>
/// Every choice comes from the seed, so a seed replays a run exactly. Thread-safe; deterministic when
/// driven from one thread.
/// </summary>
public sealed class InMemoryNetwork
{
    private const uint FirstPid = 1000;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly SortedDictionary<uint, SimNode> _nodes = [];
    private List<Component> _partitions = [];
    private uint _nextPid = FirstPid;
    private long _nextLabel = 1;

    public InMemoryNetwork(InMemoryClusterConfig config, int seed)
    {
        config.Validate();
        Config = config;
        _random = new Random(seed);
        foreach (var node in config.Nodes)
        {
            _nodes.Add(node.NodeId, new SimNode(node));
        }
    }

    public InMemoryClusterConfig Config { get; }

    /// <summary>Messages accepted but not yet delivered, over all partitions.</summary>
    public int PendingMessages
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Sum(p => p.Queue.Count);
            }
        }
    }

    public SimulatedNodeState NodeState(uint nodeId)
    {
        lock (_gate)
        {
            return NodeById(nodeId).State;
        }
    }

    /// <summary>The node ids of every partition, each sorted, ordered by their lowest node id.</summary>
    public IReadOnlyList<IReadOnlyList<uint>> Partitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _partitions.Select(p => (IReadOnlyList<uint>)[.. p.NodeIds])];
            }
        }
    }

    /// <summary>Boots a node (or restarts its corosync): it joins the partition its links allow.
    /// Processes waiting on the node reconnect.</summary>
    public void StartNode(uint nodeId)
    {
        lock (_gate)
        {
            var node = NodeById(nodeId);
            if (node.State == SimulatedNodeState.Up)
            {
                throw new InvalidOperationException($"node {node.Name} is already up");
            }
            node.State = SimulatedNodeState.Up;
            // A corosync that starts reads its configuration afresh: wait_for_all applies again.
            node.WaitingForAll = Config.WaitForAllInForce;
            Reconfigure();
        }
    }

    public void StartAll()
    {
        lock (_gate)
        {
            foreach (var node in _nodes.Values.Where(n => n.State != SimulatedNodeState.Up))
            {
                node.State = SimulatedNodeState.Up;
                node.WaitingForAll = Config.WaitForAllInForce;
            }
            Reconfigure();
        }
    }

    /// <summary>Power off: every process of the node ends at once (its event stream completes).</summary>
    public void CrashNode(uint nodeId)
    {
        lock (_gate)
        {
            var node = NodeById(nodeId);
            if (node.State == SimulatedNodeState.Off)
            {
                throw new InvalidOperationException($"node {node.Name} is already off");
            }
            foreach (var process in node.Processes)
            {
                process.End();
            }
            node.Processes.Clear();
            node.State = SimulatedNodeState.Off;
            Reconfigure();
        }
    }

    /// <summary>corosync stops on the node; its processes live on and see <see cref="BusDisconnected"/>.</summary>
    public void StopCorosync(uint nodeId)
    {
        lock (_gate)
        {
            var node = NodeById(nodeId);
            if (node.State != SimulatedNodeState.Up)
            {
                throw new InvalidOperationException($"corosync is not running on node {node.Name}");
            }
            node.State = SimulatedNodeState.CorosyncStopped;
            Reconfigure();
            foreach (var process in node.Processes)
            {
                process.State = ProcessState.Disconnected;
                process.View = [];
                process.Emit(new BusDisconnected($"corosync stopped on node {node.Name}"));
            }
        }
    }

    /// <summary>
    /// Sets which nodes can reach each other: each group is a set of node ids that are connected among
    /// themselves and cut from the rest; a node in no group is cut from all. Applies to nodes that are off too.
    /// </summary>
    public void Partition(params IEnumerable<uint>[] groups)
    {
        lock (_gate)
        {
            var seen = new HashSet<uint>();
            var labels = new Dictionary<uint, long>();
            foreach (var group in groups)
            {
                var label = _nextLabel++;
                foreach (var id in group)
                {
                    NodeById(id);
                    if (!seen.Add(id))
                    {
                        throw new ArgumentException($"partition: node {id} is in more than one group");
                    }
                    labels[id] = label;
                }
            }
            foreach (var node in _nodes.Values)
            {
                node.Link = labels.TryGetValue(node.Config.NodeId, out var label) ? label : _nextLabel++;
            }
            Reconfigure();
        }
    }

    /// <summary>Reconnects every link.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            var label = _nextLabel++;
            foreach (var node in _nodes.Values)
            {
                node.Link = label;
            }
            Reconfigure();
        }
    }

    /// <summary>Whether the node's quorum device reaches its arbiter (corosync-qnetd).</summary>
    public void SetArbiterReachable(uint nodeId, bool reachable)
    {
        lock (_gate)
        {
            NodeById(nodeId).ArbiterReachable = reachable;
            foreach (var node in RecomputeQuorum())
            {
                var partition = node.Partition!;
                foreach (var process in ConnectedProcesses(node))
                {
                    process.Emit(new QuorumChanged(node.Quorum.Quorate, partition.RingSeq, [.. partition.NodeIds]));
                }
            }
        }
    }

    /// <summary>
    /// Starts a process on the node that joins the group (a new pid every time). On a node whose corosync
    /// is stopped it waits, disconnected, and joins when corosync starts.
    /// </summary>
    public InMemoryClusterBus Connect(uint nodeId)
    {
        lock (_gate)
        {
            var node = NodeById(nodeId);
            if (node.State == SimulatedNodeState.Off)
            {
                throw new InvalidOperationException($"node {node.Name} is off; start it before starting processes on it");
            }
            var process = new InMemoryClusterBus(this, new BusMember(nodeId, _nextPid++));
            node.Processes.Add(process);
            if (node.State != SimulatedNodeState.Up)
            {
                process.Emit(new BusDisconnected($"corosync is not running on node {node.Name}"));
                return process;
            }
            var partition = node.Partition!;
            // The join is ordered after every message accepted before it.
            Flush(partition);
            process.State = ProcessState.Connected;
            process.Emit(new BusConnected(process.Member));
            var quorum = new QuorumChanged(node.Quorum.Quorate, partition.RingSeq, [.. partition.NodeIds]);
            var quorumFirst = _random.Next(2) == 0;
            if (quorumFirst)
            {
                process.Emit(quorum);
            }
            var members = GroupMembers(partition);
            foreach (var member in ConnectedProcesses(partition))
            {
                // As corosync does, the joiner's first view names only itself as joined.
                EmitView(member, partition.RingSeq, members, [process.Member], new Dictionary<BusMember, LeaveReason>());
            }
            if (!quorumFirst)
            {
                process.Emit(quorum);
            }
            return process;
        }
    }

    /// <summary>The process crashes: the others see it leave with <see cref="LeaveReason.ProcessDown"/>.</summary>
    public void KillProcess(InMemoryClusterBus process) => Leave(process, LeaveReason.ProcessDown);

    /// <summary>Delivers the next message of one partition (chosen by the seed). False when nothing waits.</summary>
    public bool Step()
    {
        lock (_gate)
        {
            var busy = _partitions.Where(p => p.Queue.Count > 0).ToList();
            if (busy.Count == 0)
            {
                return false;
            }
            var partition = busy[_random.Next(busy.Count)];
            DeliverHead(partition);
            return true;
        }
    }

    /// <summary>Delivers every waiting message; returns how many.</summary>
    public int DeliverAll()
    {
        var delivered = 0;
        while (Step())
        {
            delivered++;
        }
        return delivered;
    }

    internal bool Send(InMemoryClusterBus process, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > ClusterBusLimits.MaxMessageBytes)
        {
            throw new ArgumentException(
                $"message of {payload.Length} bytes is larger than the bus carries ({ClusterBusLimits.MaxMessageBytes} bytes)",
                nameof(payload));
        }
        lock (_gate)
        {
            if (process.State != ProcessState.Connected)
            {
                return false;
            }
            var node = NodeById(process.Member.NodeId);
            node.Partition!.Queue.Add(new PendingMessage(process.Member, payload.ToArray()));
            return true;
        }
    }

    internal ClusterInfo GetInfo(InMemoryClusterBus process)
    {
        lock (_gate)
        {
            var node = NodeById(process.Member.NodeId);
            if (process.State != ProcessState.Connected)
            {
                throw new BusUnavailableException(process.HasEnded
                    ? $"process {process.Member} has ended"
                    : $"corosync is not running on node {node.Name}");
            }
            var partition = node.Partition!;
            var nodes = _nodes.Values
                .Select(n => new NodeInfo(n.Config.NodeId, n.Config.Name, partition.NodeIds.Contains(n.Config.NodeId)) { Votes = n.Config.Votes })
                .ToList();
            var links = _nodes.Values
                .Where(n => n != node)
                .Select(n => new LinkInfo(n.Config.NodeId, 0, partition.NodeIds.Contains(n.Config.NodeId)))
                .ToList();
            return new ClusterInfo(Config.ClusterName, node.Config.NodeId, nodes, node.Quorum, links, Config.Totem);
        }
    }

    internal void Leave(InMemoryClusterBus process, LeaveReason reason)
    {
        lock (_gate)
        {
            if (process.HasEnded)
            {
                return;
            }
            var node = NodeById(process.Member.NodeId);
            var wasConnected = process.IsConnected;
            node.Processes.Remove(process);
            process.End();
            if (!wasConnected)
            {
                return;
            }
            var partition = node.Partition!;
            Flush(partition);
            var members = GroupMembers(partition);
            foreach (var member in ConnectedProcesses(partition))
            {
                EmitView(member, partition.RingSeq, members, [], new Dictionary<BusMember, LeaveReason> { [process.Member] = reason });
            }
        }
    }

    private SimNode NodeById(uint nodeId) =>
        _nodes.TryGetValue(nodeId, out var node) ? node : throw new ArgumentException($"node {nodeId} is not in the cluster's nodelist");

    private IEnumerable<InMemoryClusterBus> ConnectedProcesses(SimNode node) =>
        node.Processes.Where(p => p.IsConnected).OrderBy(p => p.Member).ToList();

    private IEnumerable<InMemoryClusterBus> ConnectedProcesses(Component partition) =>
        partition.NodeIds.SelectMany(id => ConnectedProcesses(_nodes[id])).ToList();

    private List<BusMember> GroupMembers(Component partition) =>
        [.. ConnectedProcesses(partition).Select(p => p.Member).Order()];

    private void DeliverHead(Component partition)
    {
        var message = partition.Queue[0];
        partition.Queue.RemoveAt(0);
        foreach (var process in ConnectedProcesses(partition))
        {
            process.Emit(new MessageDelivered(message.Sender, message.Payload));
        }
    }

    private void Flush(Component partition)
    {
        while (partition.Queue.Count > 0)
        {
            DeliverHead(partition);
        }
    }

    /// <summary>
    /// Emits a view to a process. <paramref name="joined"/> and <paramref name="left"/> describe the change
    /// as the others see it; the process's own first view names only itself as joined.
    /// </summary>
    private static void EmitView(
        InMemoryClusterBus process,
        ulong ringSeq,
        List<BusMember> members,
        IReadOnlyList<BusMember> joined,
        IReadOnlyDictionary<BusMember, LeaveReason> left)
    {
        var isFirst = process.View.Count == 0;
        process.View = members;
        process.Emit(new ViewChanged(
            ringSeq,
            members,
            isFirst ? [] : [.. left.Keys.Order()],
            isFirst ? [process.Member] : [.. joined.Order()])
        {
            LeftReasons = isFirst ? new Dictionary<BusMember, LeaveReason>() : left,
        });
    }

    /// <summary>
    /// Recomputes the partitions from the nodes' states and links after a fault or repair, settles the
    /// messages in flight in every partition that changed, and installs the new views and quorum.
    /// </summary>
    private void Reconfigure()
    {
        var wanted = _nodes.Values
            .Where(n => n.State == SimulatedNodeState.Up)
            .GroupBy(n => n.Link)
            .Select(g => new SortedSet<uint>(g.Select(n => n.Config.NodeId)))
            .OrderBy(s => s.Min)
            .ToList();
        var kept = _partitions.Where(p => wanted.Any(w => w.SetEquals(p.NodeIds))).ToList();
        var gone = _partitions.Except(kept).ToList();
        var formed = wanted
            .Where(w => !kept.Any(p => p.NodeIds.SetEquals(w)))
            // As totemsrp does: the new ring's sequence number is the highest its members knew, plus 4.
            .Select(w => new Component(w, w.Max(id => _nodes[id].RingSeq) + 4))
            .ToList();

        foreach (var old in gone)
        {
            Settle(old, formed);
        }

        _partitions = [.. kept.Concat(formed).OrderBy(p => p.NodeIds.Min)];
        foreach (var node in _nodes.Values)
        {
            node.Partition = null;
        }
        foreach (var partition in _partitions)
        {
            foreach (var id in partition.NodeIds)
            {
                _nodes[id].Partition = partition;
                _nodes[id].RingSeq = partition.RingSeq;
            }
        }

        var flipped = RecomputeQuorum();
        foreach (var partition in formed)
        {
            InstallViews(partition);
        }
        foreach (var node in flipped.Where(n => !formed.Contains(n.Partition!)))
        {
            var partition = node.Partition!;
            foreach (var process in ConnectedProcesses(node))
            {
                process.Emit(new QuorumChanged(node.Quorum.Quorate, partition.RingSeq, [.. partition.NodeIds]));
            }
        }
    }

    /// <summary>
    /// Decides the fate of an old partition's messages in flight. A random cut splits them into those
    /// already on the old ring and those still queued at their sender's node. Each part of the old partition
    /// that lives on delivers, in the old view, the ring messages it holds (all of its own senders', a random
    /// prefix of each other sender's); its senders' queued messages go out in the new partition.
    /// </summary>
    private void Settle(Component old, List<Component> formed)
    {
        var cut = _random.Next(old.Queue.Count + 1);
        var onRing = old.Queue.Take(cut).ToList();
        var queued = old.Queue.Skip(cut).ToList();
        foreach (var partition in formed)
        {
            var part = old.NodeIds.Where(partition.NodeIds.Contains).ToHashSet();
            if (part.Count == 0)
            {
                continue;
            }
            var held = new HashSet<PendingMessage>();
            foreach (var bySender in onRing.GroupBy(m => m.Sender))
            {
                var count = part.Contains(bySender.Key.NodeId) ? bySender.Count() : _random.Next(bySender.Count() + 1);
                held.UnionWith(bySender.Take(count));
            }
            var receivers = part.Order().SelectMany(id => ConnectedProcesses(_nodes[id])).ToList();
            foreach (var message in onRing.Where(held.Contains))
            {
                foreach (var process in receivers)
                {
                    process.Emit(new MessageDelivered(message.Sender, message.Payload));
                }
            }
            partition.Queue.AddRange(queued.Where(m => part.Contains(m.Sender.NodeId)));
        }
        old.Queue.Clear();
    }

    private void InstallViews(Component partition)
    {
        foreach (var id in partition.NodeIds)
        {
            foreach (var process in _nodes[id].Processes.Where(p => p.State == ProcessState.Disconnected).OrderBy(p => p.Member))
            {
                // Waited for corosync on this node: reconnects and joins in the new ring.
                process.State = ProcessState.Connected;
                process.Emit(new BusConnected(process.Member));
            }
        }
        var members = GroupMembers(partition);
        var memberSet = members.ToHashSet();
        foreach (var id in partition.NodeIds)
        {
            var node = _nodes[id];
            var quorum = new QuorumChanged(node.Quorum.Quorate, partition.RingSeq, [.. partition.NodeIds]);
            foreach (var process in ConnectedProcesses(node))
            {
                var previous = process.View.ToHashSet();
                var joined = members.Where(m => !previous.Contains(m)).ToList();
                var left = process.View
                    .Where(m => !memberSet.Contains(m))
                    .ToDictionary(m => m, _ => LeaveReason.NodeDown);
                var quorumFirst = _random.Next(2) == 0;
                if (quorumFirst)
                {
                    process.Emit(quorum);
                }
                if (joined.Count > 0 || left.Count > 0)
                {
                    EmitView(process, partition.RingSeq, members, joined, left);
                }
                if (!quorumFirst)
                {
                    process.Emit(quorum);
                }
            }
        }
    }

    /// <summary>Computes every up node's quorum state; returns the nodes whose quorate flag changed.</summary>
    private List<SimNode> RecomputeQuorum()
    {
        var flipped = new List<SimNode>();
        var arbiterWinner = Config.QdeviceVotes == 0
            ? null
            : _partitions
                .Where(p => p.NodeIds.Any(id => _nodes[id].ArbiterReachable))
                .OrderByDescending(p => p.NodeIds.Count)
                .ThenBy(p => p.NodeIds.Min)
                .FirstOrDefault();
        foreach (var partition in _partitions)
        {
            var votes = partition.NodeIds.ToDictionary(
                id => id,
                id => VotequorumCalculation.Votes(Config, partition.NodeIds, partition == arbiterWinner && _nodes[id].ArbiterReachable));
            var present = partition.NodeIds.ToDictionary(id => id, id => votes[id].TotalVotes >= votes[id].Quorum);
            // A node past wait_for_all that has quorum releases the others (votequorum's nodeinfo exchange).
            var released = partition.NodeIds.Any(id => !_nodes[id].WaitingForAll && present[id]);
            foreach (var id in partition.NodeIds)
            {
                var node = _nodes[id];
                var (total, expected, quorumVotes) = votes[id];
                var quorate = present[id] && (!node.WaitingForAll || released || total == expected);
                if (Config.WaitForAllInForce)
                {
                    node.WaitingForAll = !quorate;
                }
                var castVote = partition == arbiterWinner && node.ArbiterReachable;
                var info = new QuorumInfo(quorate, expected, total, quorumVotes, Flags(quorate, castVote));
                if (node.Quorum.Quorate != quorate)
                {
                    flipped.Add(node);
                }
                node.Quorum = info;
            }
        }
        return flipped;
    }

    private List<string> Flags(bool quorate, bool castVote)
    {
        var flags = new List<string>();
        if (Config.TwoNode)
        {
            flags.Add(QuorumFlags.TwoNode);
        }
        if (quorate)
        {
            flags.Add(QuorumFlags.Quorate);
        }
        if (Config.WaitForAllInForce)
        {
            flags.Add(QuorumFlags.WaitForAll);
        }
        if (Config.QdeviceVotes > 0)
        {
            flags.Add(QuorumFlags.Qdevice);
            flags.Add(QuorumFlags.QdeviceAlive);
            if (castVote)
            {
                flags.Add(QuorumFlags.QdeviceCastVote);
            }
        }
        return flags;
    }

    private sealed class SimNode(InMemoryNode config)
    {
        public InMemoryNode Config { get; } = config;

        public string Name => Config.Name;

        public SimulatedNodeState State { get; set; } = SimulatedNodeState.Off;

        /// <summary>Nodes with the same label can reach each other.</summary>
        public long Link { get; set; }

        /// <summary>The last ring this node was part of; corosync keeps it on disk across restarts.</summary>
        public ulong RingSeq { get; set; }

        public bool WaitingForAll { get; set; }

        public bool ArbiterReachable { get; set; } = true;

        public Component? Partition { get; set; }

        public QuorumInfo Quorum { get; set; } = new(false, 0, 0, 0, []);

        public List<InMemoryClusterBus> Processes { get; } = [];
    }

    private sealed class Component(SortedSet<uint> nodeIds, ulong ringSeq)
    {
        public SortedSet<uint> NodeIds { get; } = nodeIds;

        public ulong RingSeq { get; } = ringSeq;

        /// <summary>Accepted messages not yet delivered, in agreed order.</summary>
        public List<PendingMessage> Queue { get; } = [];
    }

    /// <summary>Compared by reference: two sends of the same bytes are two messages.</summary>
    private sealed class PendingMessage(BusMember sender, byte[] payload)
    {
        public BusMember Sender { get; } = sender;

        public byte[] Payload { get; } = payload;
    }
}
