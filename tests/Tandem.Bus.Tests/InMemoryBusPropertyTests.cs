using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Tandem.Bus.InMemory;

namespace Tandem.Bus.Tests;

/// <summary>
/// The in-memory bus keeps corosync's guarantees under any schedule of sends, deliveries, partitions,
/// merges, crashes, restarts, corosync outages and arbiter loss: agreed order, sender order, self
/// delivery, virtual synchrony, well-formed views, and quorum as votequorum computes it.
/// </summary>
public sealed class InMemoryBusPropertyTests
{
    private static readonly InMemoryClusterConfig[] Configs =
    [
        new("three", [new(1, "astapor"), new(2, "braavos"), new(3, "carcosa")]),
        new("pair", [new(1, "astapor"), new(2, "braavos")]) { TwoNode = true },
        new("arbiter", [new(1, "astapor"), new(2, "braavos")]) { QdeviceVotes = 1 },
        new("weighted", [new(1, "astapor"), new(2, "braavos"), new(3, "carcosa"), new(4, "dorne", Votes: 2)]),
    ];

    public abstract record Op;

    public sealed record Send(int Process) : Op;

    public sealed record Step(int Count) : Op;

    public sealed record Split(int[] Labels) : Op;

    public sealed record Heal : Op;

    public sealed record Crash(int Node) : Op;

    public sealed record Start(int Node) : Op;

    public sealed record StopCorosync(int Node) : Op;

    public sealed record Connect(int Node) : Op;

    public sealed record Leave(int Process) : Op;

    public sealed record Kill(int Process) : Op;

    public sealed record Arbiter(int Node, bool Reachable) : Op;

    public sealed record Scenario(int Config, int Seed, Op[] Ops)
    {
        public override string ToString() => $"config {Configs[Config].ClusterName}, seed {Seed}: {string.Join(", ", Ops.Select(o => o.ToString()))}";
    }

    private static Gen<Op> OpGen()
    {
        var index = Gen.Choose(0, 7);
        return Gen.Frequency(
            (30, index.Select(i => (Op)new Send(i))),
            (20, Gen.Choose(1, 4).Select(c => (Op)new Step(c))),
            (6, Gen.ArrayOf(Gen.Choose(0, 2), 4).Select(l => (Op)new Split(l))),
            (4, Gen.Constant((Op)new Heal())),
            (3, index.Select(i => (Op)new Crash(i))),
            (5, index.Select(i => (Op)new Start(i))),
            (3, index.Select(i => (Op)new StopCorosync(i))),
            (5, index.Select(i => (Op)new Connect(i))),
            (2, index.Select(i => (Op)new Leave(i))),
            (2, index.Select(i => (Op)new Kill(i))),
            (2, Gen.Zip(index, Gen.Elements(true, false)).Select(t => (Op)new Arbiter(t.Item1, t.Item2))));
    }

    private static Arbitrary<Scenario> Scenarios()
    {
        var gen =
            from config in Gen.Choose(0, Configs.Length - 1)
            from seed in Gen.Choose(0, int.MaxValue)
            from ops in Gen.Sized(size => Gen.ArrayOf(OpGen(), Math.Max(1, size)))
            select new Scenario(config, seed, ops);
        return Arb.From(gen, Shrink);
    }

    /// <summary>Shrinks a failing schedule by dropping one operation at a time.</summary>
    private static IEnumerable<Scenario> Shrink(Scenario scenario) =>
        Enumerable.Range(0, scenario.Ops.Length)
            .Select(skip => scenario with { Ops = [.. scenario.Ops.Where((_, i) => i != skip)] });

    [Fact]
    public void Any_schedule_keeps_agreed_order_virtual_synchrony_self_delivery_and_quorum()
    {
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(80),
            Prop.ForAll(Scenarios(), (Scenario s) => new Run(s).Execute()));
    }

    /// <summary>One schedule, executed and checked.</summary>
    private sealed class Run(Scenario scenario)
    {
        private readonly InMemoryClusterConfig _config = Configs[scenario.Config];
        private readonly EventLog _log = new();
        private readonly List<(long Id, InMemoryClusterBus Sender, int EventsBefore)> _sent = [];
        private long _nextMessage = 1;

        public void Execute()
        {
            var network = new InMemoryNetwork(_config, scenario.Seed);
            network.StartAll();
            foreach (var node in _config.Nodes)
            {
                _log.Track(network.Connect(node.NodeId));
            }
            foreach (var op in scenario.Ops)
            {
                Apply(network, op);
                CheckQuorum(network);
            }
            network.DeliverAll();
            CheckStreams();
        }

        private uint NodeId(int index) => _config.Nodes[index % _config.Nodes.Count].NodeId;

        private InMemoryClusterBus? Process(int index)
        {
            var alive = _log.Processes.Where(p => !p.HasEnded).ToList();
            return alive.Count == 0 ? null : alive[index % alive.Count];
        }

        private void Apply(InMemoryNetwork network, Op op)
        {
            switch (op)
            {
                case Send send when Process(send.Process) is { } process:
                    var id = _nextMessage++;
                    var payload = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(payload, id);
                    var before = _log.Of(process).Count;
                    if (process.TrySendAsync(payload, CancellationToken.None).AsTask().Result)
                    {
                        _sent.Add((id, process, before));
                    }
                    break;
                case Step step:
                    for (var i = 0; i < step.Count; i++)
                    {
                        network.Step();
                    }
                    break;
                case Split split:
                    network.Partition([.. _config.Nodes
                        .Select((n, i) => (n.NodeId, Label: split.Labels[i % split.Labels.Length]))
                        .GroupBy(x => x.Label)
                        .Select(g => g.Select(x => x.NodeId))]);
                    break;
                case Heal:
                    network.Heal();
                    break;
                case Crash crash when network.NodeState(NodeId(crash.Node)) != SimulatedNodeState.Off:
                    network.CrashNode(NodeId(crash.Node));
                    break;
                case Start start when network.NodeState(NodeId(start.Node)) != SimulatedNodeState.Up:
                    network.StartNode(NodeId(start.Node));
                    break;
                case StopCorosync stop when network.NodeState(NodeId(stop.Node)) == SimulatedNodeState.Up:
                    network.StopCorosync(NodeId(stop.Node));
                    break;
                case Connect connect when network.NodeState(NodeId(connect.Node)) != SimulatedNodeState.Off:
                    _log.Track(network.Connect(NodeId(connect.Node)));
                    break;
                case Leave leave when Process(leave.Process) is { } process:
                    process.DisposeAsync().AsTask().Wait();
                    break;
                case Kill kill when Process(kill.Process) is { } process:
                    network.KillProcess(process);
                    break;
                case Arbiter arbiter:
                    network.SetArbiterReachable(NodeId(arbiter.Node), arbiter.Reachable);
                    break;
            }
            _log.Drain();
        }

        private void CheckQuorum(InMemoryNetwork network)
        {
            var quoratePartitions = new HashSet<string>();
            foreach (var process in _log.Processes.Where(p => p.IsConnected))
            {
                var info = process.GetInfoAsync(CancellationToken.None).AsTask().Result;
                var partition = network.Partitions.Single(p => p.Contains(process.Member.NodeId));
                var lastQuorum = _log.Last<QuorumChanged>(process);
                Assert.Equal(info.Quorum.Quorate, lastQuorum.Quorate);
                Assert.Equal(partition, lastQuorum.Nodes);
                Assert.Equal(partition, info.Nodes.Where(n => n.Member).Select(n => n.NodeId));
                Assert.All(info.Links, l => Assert.Equal(partition.Contains(l.PeerNodeId), l.Connected));
                Assert.Equal(info.Quorum.Quorate, info.Quorum.Flags.Contains(QuorumFlags.Quorate));
                if (info.Quorum.Quorate)
                {
                    quoratePartitions.Add(string.Join(',', partition));
                }
                if (!_config.WaitForAllInForce && _config.QdeviceVotes == 0)
                {
                    // Plain majority: more than half of all configured votes.
                    var present = _config.Nodes.Where(n => partition.Contains(n.NodeId)).Sum(n => n.Votes);
                    var all = _config.Nodes.Sum(n => n.Votes);
                    Assert.Equal(2 * present > all, info.Quorum.Quorate);
                }
            }
            if (!_config.TwoNode)
            {
                Assert.True(quoratePartitions.Count <= 1, $"several partitions quorate at once: {string.Join(" | ", quoratePartitions)}");
            }
        }

        private static long IdOf(MessageDelivered m) => BinaryPrimitives.ReadInt64LittleEndian(m.Payload.Span);

        private void CheckStreams()
        {
            var delivered = new Dictionary<BusMember, List<long>>();
            var segments = new List<(string View, string Next, List<long> Messages, BusMember Member)>();
            foreach (var process in _log.Processes)
            {
                delivered[process.Member] = CheckStream(process, segments);
            }

            // Agreed order: any two processes deliver the messages they share in the same order.
            var members = delivered.Keys.ToList();
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = i + 1; j < members.Count; j++)
                {
                    var a = delivered[members[i]];
                    var b = delivered[members[j]];
                    var inB = b.ToHashSet();
                    var inA = a.ToHashSet();
                    Assert.Equal(a.Where(inB.Contains), b.Where(inA.Contains));
                }
            }

            // Virtual synchrony: processes that went from view V to view V' together delivered the same messages in V.
            foreach (var together in segments.Where(s => s.Next.Length > 0).GroupBy(s => (s.View, s.Next)))
            {
                var first = together.First();
                foreach (var other in together.Skip(1))
                {
                    Assert.True(
                        first.Messages.SequenceEqual(other.Messages),
                        $"{first.Member} and {other.Member} moved from {together.Key.View} to {together.Key.Next} with different messages: [{string.Join(' ', first.Messages)}] vs [{string.Join(' ', other.Messages)}]");
                }
            }

            // Self delivery: a process that stayed connected delivered everything it sent.
            foreach (var (id, sender, eventsBefore) in _sent)
            {
                var after = _log.Of(sender).Skip(eventsBefore);
                if (!sender.HasEnded && !after.Any(e => e is BusDisconnected))
                {
                    Assert.Contains(id, delivered[sender.Member]);
                }
            }
        }

        /// <summary>Checks one process's stream on its own; returns the message ids it delivered.</summary>
        private List<long> CheckStream(InMemoryClusterBus process, List<(string, string, List<long>, BusMember)> segments)
        {
            var self = process.Member;
            var ids = new List<long>();
            var lastBySender = new Dictionary<BusMember, long>();
            var connected = false;
            List<BusMember>? view = null;
            string? viewKey = null;
            var inView = new List<long>();

            void Close(string next)
            {
                if (viewKey is not null)
                {
                    segments.Add((viewKey, next, inView, self));
                }
                viewKey = null;
                inView = [];
            }

            foreach (var busEvent in _log.Of(process))
            {
                switch (busEvent)
                {
                    case BusConnected c:
                        Assert.False(connected, $"{self}: connected twice");
                        Assert.Equal(self, c.Self);
                        connected = true;
                        view = null;
                        break;
                    case BusDisconnected:
                        connected = false;
                        view = null;
                        Close("");
                        break;
                    case ViewChanged v:
                        Assert.True(connected, $"{self}: view while disconnected");
                        Assert.Equal(v.Members.Order(), v.Members);
                        Assert.Equal(v.Members.Distinct().Count(), v.Members.Count);
                        Assert.Contains(self, v.Members);
                        Assert.Equal(v.Left.ToHashSet(), v.LeftReasons.Keys.ToHashSet());
                        if (view is null)
                        {
                            Assert.Empty(v.Left);
                            Assert.Equal([self], v.Joined);
                        }
                        else
                        {
                            Assert.All(v.Left, m => Assert.Contains(m, view));
                            Assert.All(v.Joined, m => Assert.DoesNotContain(m, view));
                            Assert.Equal(view.Except(v.Left).Concat(v.Joined).Order(), v.Members);
                        }
                        var key = $"{v.RingSeq}:{string.Join(' ', v.Members)}";
                        Close(key);
                        viewKey = key;
                        view = [.. v.Members];
                        break;
                    case MessageDelivered m:
                        Assert.True(connected && view is not null, $"{self}: message outside a view");
                        Assert.Contains(m.Sender, view!);
                        var id = IdOf(m);
                        Assert.DoesNotContain(id, ids);
                        if (lastBySender.TryGetValue(m.Sender, out var last))
                        {
                            Assert.True(last < id, $"{self}: {m.Sender}'s message {id} after its message {last}");
                        }
                        lastBySender[m.Sender] = id;
                        ids.Add(id);
                        inView.Add(id);
                        break;
                    case QuorumChanged q:
                        Assert.True(connected, $"{self}: quorum while disconnected");
                        Assert.Contains(self.NodeId, q.Nodes);
                        Assert.Equal(q.Nodes.Order(), q.Nodes);
                        break;
                }
            }
            Close("");
            return ids;
        }
    }
}
