using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Bus.InMemory;
using Tandem.Node.Coordination;
using Tandem.Node.Execution;
using Tandem.Node.Fencing;
using Tandem.Node.Status;

namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// The daemons of a simulated cluster over the in-memory bus with <see cref="FaultyAgents"/>: one thread,
/// fake time, every interleaving chosen by the seed. Each daemon reads its own event stream; the pump
/// picks which daemon handles its next event or which partition delivers its next message, so faults
/// land between any two steps of the protocol. Operations run on the agents as the executor would run
/// them; a hung one answers with a timeout when time has passed its timeout.
/// </summary>
public sealed class FaultCluster
{
    private readonly Dictionary<uint, (InMemoryClusterBus Bus, DaemonCore Core)> _daemons = [];
    private readonly Dictionary<uint, MemoryConfigStorage> _disks = [];
    private readonly Random _random;
    private readonly ILoggerFactory _logs;

    public FaultCluster(InMemoryClusterConfig config, int seed, FaultyAgents agents, ILoggerFactory? logs = null)
    {
        Network = new InMemoryNetwork(config, seed);
        _random = new Random(seed ^ 0x5EED);
        _logs = logs ?? NullLoggerFactory.Instance;
        Agents = agents;
        Agents.Connected = Connected;
        Agents.NodeName = Name;
    }

    public InMemoryNetwork Network { get; }

    public ManualTime Time { get; } = new();

    public FaultyAgents Agents { get; }

    /// <summary>Starts of resources on a node whose daemon knew its partition had no quorum.</summary>
    public List<string> StartsWithoutQuorum { get; } = [];

    public IEnumerable<uint> Daemons => _daemons.Keys.Order();

    /// <summary>Steps taken so far (events handled and messages delivered).</summary>
    public int Steps { get; private set; }

    /// <summary>
    /// The most steps a seed may take. A healthy seed needs a few hundred; a run past this bound is a
    /// livelock (the daemons keep each other busy for ever), a liveness bug reported like a broken invariant.
    /// </summary>
    public int StepLimit { get; init; } = 10_000;

    /// <summary>
    /// The most transitions the coordinators of a seed may start: a healthy seed needs a few dozen; a
    /// coordinator that plans the same graph again and again is a livelock even if no message moves.
    /// </summary>
    public int TransitionLimit { get; init; } = 1_000;

    /// <summary>Transitions started by every coordinator so far, including daemons that have since died.</summary>
    public int Transitions => _retiredTransitions + _daemons.Values.Sum(d => d.Core.Coordinator?.Transitions ?? 0);

    private int _retiredTransitions;

    public IEnumerable<uint> Nodes => Network.Config.Nodes.Select(n => n.NodeId);

    public DaemonCore Core(uint nodeId) => _daemons[nodeId].Core;

    public bool HasDaemon(uint nodeId) => _daemons.ContainsKey(nodeId);

    public string Name(uint nodeId) => Network.Config.Nodes.Single(n => n.NodeId == nodeId).Name;

    /// <summary>Both nodes are up and reach each other (the replication link shares the cluster's network).</summary>
    public bool Connected(uint a, uint b) => Network.Partitions.Any(p => p.Contains(a) && p.Contains(b));

    /// <summary>Boots the node (if it is off) and starts its daemon.</summary>
    public void Boot(uint nodeId)
    {
        if (Network.NodeState(nodeId) != SimulatedNodeState.Up)
        {
            Network.StartNode(nodeId);
        }
        StartDaemon(nodeId);
    }

    public void StartDaemon(uint nodeId)
    {
        var disk = Disk(nodeId);
        _daemons[nodeId] = (Network.Connect(nodeId), new DaemonCore(Name(nodeId), disk, disk.Load(), _logs, Time));
    }

    /// <summary>The daemon's process dies (kill -9); the node, corosync and the resources run on.</summary>
    public void KillDaemon(uint nodeId)
    {
        Network.KillProcess(_daemons[nodeId].Bus);
        Retire(nodeId);
        Agents.ForgetExecutor(nodeId);
    }

    /// <summary>Power off.</summary>
    public void Crash(uint nodeId)
    {
        Network.CrashNode(nodeId);
        Retire(nodeId);
        Agents.PowerOff(nodeId);
    }

    private void Retire(uint nodeId)
    {
        if (_daemons.Remove(nodeId, out var daemon))
        {
            _retiredTransitions += daemon.Core.Coordinator?.Transitions ?? 0;
        }
    }

    public MemoryConfigStorage Disk(uint nodeId) =>
        _disks.TryGetValue(nodeId, out var disk) ? disk : _disks[nodeId] = new MemoryConfigStorage();

    /// <summary>Multicasts a message from a node's daemon, as its local API would.</summary>
    public void Send(uint nodeId, DaemonMessage message) =>
        _daemons[nodeId].Bus.TrySendAsync(message.Encode(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>One step of the system: a daemon handles its next event, or a partition delivers a message.</summary>
    public bool PumpOne()
    {
        var ready = _daemons.Where(d => d.Value.Bus.Events.Count > 0).Select(d => d.Key).Order().ToList();
        var network = Network.PendingMessages > 0;
        var choices = ready.Count + (network ? 1 : 0);
        if (choices == 0)
        {
            return false;
        }
        if (++Steps > StepLimit)
        {
            throw new LivelockException($"livelock: the cluster took more than {StepLimit:N0} steps without coming to rest");
        }
        if (Transitions > TransitionLimit)
        {
            throw new LivelockException($"livelock: the coordinators started more than {TransitionLimit:N0} transitions");
        }
        var pick = _random.Next(choices);
        if (pick == ready.Count)
        {
            Network.Step();
            return true;
        }
        var nodeId = ready[pick];
        var (bus, core) = _daemons[nodeId];
        if (bus.Events.TryRead(out var busEvent))
        {
            Apply(nodeId, core.OnBusEvent(busEvent));
        }
        return true;
    }

    /// <summary>Runs the system until nothing moves (or the seed's step limit is passed).</summary>
    public void Settle()
    {
        while (PumpOne())
        {
        }
    }

    /// <summary>Runs at most <paramref name="steps"/> steps: a fault may then strike mid-protocol.</summary>
    public void Pump(int steps)
    {
        for (var i = 0; i < steps && PumpOne(); i++)
        {
        }
    }

    /// <summary>Time passes: primaries write, hung operations time out, monitors run, daemons tick.</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Agents.Write();
        foreach (var (node, action, result, score) in Agents.Expire(Time.GetUtcNow()).Concat(Agents.RunMonitors()))
        {
            Report(node, action, result, score);
        }
        foreach (var nodeId in _daemons.Keys.Order().ToList())
        {
            if (_daemons.TryGetValue(nodeId, out var daemon))
            {
                Apply(nodeId, daemon.Core.OnTick());
            }
        }
    }

    private void Report(uint nodeId, ExecuteAction action, Tandem.Agents.Execution.OperationResult result, string? score)
    {
        if (!_daemons.TryGetValue(nodeId, out var daemon))
        {
            return;
        }
        if (score is not null)
        {
            // The agent sets its promotion score through crm_master while it runs, before its result.
            var name = "master-" + FaultyAgents.Primitive(action.ResourceId);
            Send(nodeId, new StatusUpdate(Name(nodeId), [], [new AttributeChange(name, score.Length == 0 ? null : score)]));
        }
        Apply(nodeId, daemon.Core.OnLocalResult(action, result));
    }

    private void Apply(uint nodeId, CoreOutput output)
    {
        if (!_daemons.TryGetValue(nodeId, out var daemon))
        {
            return;
        }
        foreach (var message in output.Messages)
        {
            daemon.Bus.TrySendAsync(message.Encode(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        foreach (var action in output.Executions)
        {
            if (action.Task == "cancel")
            {
                Agents.Cancel(nodeId, action);
                Report(nodeId, action, LocalExecutor.CancelDone(action), null);
                continue;
            }
            if (action.Task is "start" or "promote" && !daemon.Core.Membership.Current.Quorate)
            {
                StartsWithoutQuorum.Add($"{action.ResourceId} {action.Task} on {Name(nodeId)}, whose daemon knew its partition had no quorum");
            }
            if (Agents.Run(nodeId, action, Time.GetUtcNow(), out var score) is { } result)
            {
                Report(nodeId, action, result, score);
            }
        }
        foreach (var request in output.Fencings)
        {
            // The lab's power switch: the target is off before the result goes out, as with a real device.
            var target = Nodes.Single(n => Name(n) == request.Target);
            Agents.Log.Add($"{Name(nodeId)} fences {request.Target} ({request.Action})");
            if (Network.NodeState(target) != SimulatedNodeState.Off)
            {
                Crash(target);
            }
            if (_daemons.TryGetValue(nodeId, out var executor))
            {
                var device = request.Levels is [[var first, ..], ..] ? first.DeviceId : "";
                Apply(nodeId, executor.Core.OnFenceDone(new FenceResult(request.RequestId, request.Executor, request.Target, request.Action, true, device, null, Time.GetUtcNow())));
            }
        }
        if (output.SelfFence is { } reason && Network.NodeState(nodeId) != SimulatedNodeState.Off)
        {
            Agents.Log.Add($"{Name(nodeId)} fences itself: {reason}");
            Crash(nodeId);
        }
    }
}
