using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Bus;
using Tandem.Bus.InMemory;

namespace Tandem.Node.Tests.Simulation;

/// <summary>
/// Several daemons' cores over the in-memory bus, in one thread: events are pumped into each core and
/// their replies multicast until nothing moves. Faults are the network's methods.
/// </summary>
public sealed class SimulatedCluster
{
    private readonly Dictionary<uint, (InMemoryClusterBus Bus, DaemonCore Core)> _daemons = [];
    private readonly Dictionary<uint, MemoryConfigStorage> _disks = [];

    public SimulatedCluster(InMemoryClusterConfig config, int seed)
    {
        Network = new InMemoryNetwork(config, seed);
    }

    public InMemoryNetwork Network { get; }

    public static SimulatedCluster Of(int seed, bool twoNode, params string[] names) =>
        new(new InMemoryClusterConfig("sim", [.. names.Select((n, i) => new InMemoryNode((uint)(i + 1), n))]) { TwoNode = twoNode }, seed);

    public IEnumerable<uint> Running => _daemons.Keys;

    public DaemonCore Core(uint nodeId) => _daemons[nodeId].Core;

    public BusMember Member(uint nodeId) => _daemons[nodeId].Bus.Member;

    /// <summary>Boots the node and starts its daemon.</summary>
    public void Boot(uint nodeId)
    {
        if (Network.NodeState(nodeId) != SimulatedNodeState.Up)
        {
            Network.StartNode(nodeId);
        }
        var name = Network.Config.Nodes.Single(n => n.NodeId == nodeId).Name;
        var disk = Disk(nodeId);
        _daemons[nodeId] = (Network.Connect(nodeId), new DaemonCore(name, disk, disk.Load(), NullLoggerFactory.Instance, TimeProvider.System));
    }

    public void BootAll()
    {
        foreach (var node in Network.Config.Nodes)
        {
            Boot(node.NodeId);
        }
    }

    /// <summary>The node's configuration storage, which outlives its crashes.</summary>
    public MemoryConfigStorage Disk(uint nodeId) =>
        _disks.TryGetValue(nodeId, out var disk) ? disk : _disks[nodeId] = new MemoryConfigStorage();

    /// <summary>Multicasts a daemon message from a node's daemon, as its API would.</summary>
    public void Send(uint nodeId, DaemonMessage message) =>
        _daemons[nodeId].Bus.TrySendAsync(message.Encode(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Power off: the daemon ends with its node.</summary>
    public void Crash(uint nodeId)
    {
        Network.CrashNode(nodeId);
        _daemons.Remove(nodeId);
    }

    /// <summary>Pumps events and messages until every daemon has handled everything.</summary>
    public void Settle()
    {
        for (var round = 0; round < 10_000; round++)
        {
            var moved = false;
            foreach (var (bus, core) in _daemons.Values)
            {
                while (bus.Events.TryRead(out var busEvent))
                {
                    moved = true;
                    foreach (var reply in core.OnBusEvent(busEvent))
                    {
                        bus.TrySendAsync(reply.Encode(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    }
                }
            }
            moved |= Network.Step();
            if (!moved)
            {
                return;
            }
        }
        throw new InvalidOperationException("the cluster did not settle within 10,000 rounds");
    }

    /// <summary>The coordinator each running daemon follows.</summary>
    public IReadOnlyDictionary<uint, BusMember?> Coordinators() =>
        _daemons.ToDictionary(d => d.Key, d => d.Value.Core.Membership.Current.Coordinator);
}
