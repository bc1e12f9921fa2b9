using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Bus;
using Tandem.Bus.InMemory;
using Tandem.Node.Execution;
using Tandem.Node.Fencing;

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

    public ManualTime Time { get; } = new();

    /// <summary>TANDEM_SIM_LOG=1 shows every daemon's log while a test runs.</summary>
    private static readonly Microsoft.Extensions.Logging.ILoggerFactory Logs = Environment.GetEnvironmentVariable("TANDEM_SIM_LOG") == "1"
        ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b, o => o.SingleLine = true))
        : NullLoggerFactory.Instance;

    public SimulatedAgents Agents { get; } = new();

    /// <summary>
    /// The power switch behind every fence device: answers whether a fence request works (default: yes).
    /// A request that works powers the target off before the result goes out, as a real device does.
    /// </summary>
    public Func<FenceRequest, bool> PowerSwitch { get; set; } = _ => true;

    /// <summary>Every fence request carried out and every self-fencing, in order, with the time.</summary>
    public List<(DateTimeOffset At, string What)> FenceLog { get; } = [];

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
        _daemons[nodeId] = (Network.Connect(nodeId), new DaemonCore(name, disk, disk.Load(), Logs, Time));
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
        Agents.PowerOff(nodeId);
    }

    /// <summary>Pumps events and messages until every daemon has handled everything.</summary>
    public void Settle()
    {
        for (var round = 0; round < 100_000; round++)
        {
            var moved = false;
            foreach (var (nodeId, (bus, core)) in _daemons.ToList())
            {
                while (bus.Events.TryRead(out var busEvent))
                {
                    moved = true;
                    Apply(nodeId, core.OnBusEvent(busEvent));
                }
            }
            moved |= Network.Step();
            if (!moved)
            {
                return;
            }
        }
        throw new InvalidOperationException("the cluster did not settle within 100,000 rounds");
    }

    /// <summary>Time passes: recurring monitors run, daemons tick, then everything settles.</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        foreach (var (node, action, result) in Agents.RunMonitors())
        {
            if (_daemons.TryGetValue(node, out var daemon))
            {
                Apply(node, daemon.Core.OnLocalResult(action, result));
            }
        }
        foreach (var (nodeId, (_, core)) in _daemons.ToList())
        {
            Apply(nodeId, core.OnTick());
        }
        Settle();
    }

    private void Apply(uint nodeId, CoreOutput output)
    {
        if (!_daemons.TryGetValue(nodeId, out var daemon))
        {
            return;
        }
        var (bus, core) = daemon;
        foreach (var message in output.Messages)
        {
            bus.TrySendAsync(message.Encode(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        foreach (var action in output.Executions)
        {
            if (action.Task == "cancel")
            {
                Agents.Cancel(nodeId, action);
                Apply(nodeId, core.OnLocalResult(action, LocalExecutor.CancelDone(action)));
                continue;
            }
            if (Agents.Hangs(nodeId, action))
            {
                continue;
            }
            Apply(nodeId, core.OnLocalResult(action, Agents.Run(nodeId, action)));
        }
        foreach (var request in output.Fencings)
        {
            var works = PowerSwitch(request);
            var target = Network.Config.Nodes.Single(n => n.Name == request.Target).NodeId;
            FenceLog.Add((Time.GetUtcNow(), $"{request.Executor} fences {request.Target}: {(works ? "done" : "failed")}"));
            if (works && _daemons.ContainsKey(target))
            {
                Crash(target);
            }
            var device = request.Levels is [[var first, ..], ..] ? first.DeviceId : "";
            Apply(nodeId, core.OnFenceDone(new FenceResult(request.RequestId, request.Executor, request.Target, request.Action, works, device, works ? null : "the device failed", Time.GetUtcNow())));
        }
        if (output.SelfFence is { } reason)
        {
            FenceLog.Add((Time.GetUtcNow(), $"{core.Membership.Current.Self?.NodeId} fences itself: {reason}"));
            Crash(nodeId);
        }
    }

    /// <summary>The coordinator each running daemon follows.</summary>
    public IReadOnlyDictionary<uint, BusMember?> Coordinators() =>
        _daemons.ToDictionary(d => d.Key, d => d.Value.Core.Membership.Current.Coordinator);
}
