using System.Globalization;
using Microsoft.Extensions.Logging;
using Tandem.Agents.Execution;
using Tandem.Bus;
using Tandem.Model;
using Tandem.Model.Cluster;
using Tandem.Model.Json;
using Tandem.Node.Configuration;
using Tandem.Node.Coordination;
using Tandem.Node.Fencing;
using Tandem.Node.Membership;
using Tandem.Node.Status;
using Tandem.Node.Volumes;
using Tandem.Scheduler;

namespace Tandem.Node;

/// <summary>
/// The daemon's decisions, without I/O: every bus event goes in, in delivery order, and so do the local
/// executor's results and the clock's ticks; out come the messages to multicast and the operations this
/// node's executor must run. <see cref="DaemonHost"/> runs it over corosync and real agents; the simulator
/// runs many of them over the in-memory bus with scripted agents under fake time.
/// </summary>
public sealed class DaemonCore
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _nodeName;
    private readonly ResultRecorder _recorder;
    private readonly SortedDictionary<uint, string> _knownNodes = [];
    // Since when this node's partition has been without quorum (null while quorate), for self-fencing.
    private DateTimeOffset? _quorumLostAt;
    private bool _selfFenced;
    private string? _holdingFor;
    // Members of the settled view whose status announcement has not been delivered yet.
    private HashSet<string> _awaitingStatus = new(StringComparer.Ordinal);
    // Nodes that came (back) into the quorum membership before their daemon joined the group, and since when.
    private readonly Dictionary<uint, DateTimeOffset> _joining = [];

    /// <summary>
    /// How long the coordinator waits for the daemon of a node that has just come (back) into the corosync
    /// membership to join the group. corosync reports quorum and the group's view separately and in either
    /// order; planning in between would take the daemon that is still joining for one that died on a live
    /// node, and fence it. A daemon that never comes is then handled as dead.
    /// </summary>
    public static readonly TimeSpan JoinGrace = TimeSpan.FromSeconds(10);

    public DaemonCore(string nodeName, IConfigStorage configStorage, ConfigDocument? storedConfig, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _logger = loggerFactory.CreateLogger("daemon");
        _time = time;
        _nodeName = nodeName;
        _recorder = new ResultRecorder(nodeName);
        Membership = new MembershipService(nodeName, loggerFactory.CreateLogger("membership"), time);
        Config = new ConfigStore(configStorage, storedConfig, loggerFactory.CreateLogger("config"), time);
        Config.ChangeCompleted += outcome =>
        {
            if (outcome.Applied)
            {
                Coordinator?.Invalidate("the configuration changed");
            }
        };
        Status = new StatusStore(nodeName);
        _coordinatorLogger = loggerFactory.CreateLogger("coordinator");
    }

    private readonly ILogger _coordinatorLogger;

    public MembershipService Membership { get; }

    public ConfigStore Config { get; }

    public StatusStore Status { get; }

    public FencingHistory FencingHistory { get; } = new();

    /// <summary>The coordinator's state, once this daemon has joined the group (its uuid is its node id).</summary>
    public Coordinator? Coordinator { get; private set; }

    /// <summary>Raised (on the daemon's loop) when a status update with a request id was delivered and applied here.</summary>
    public event Action<string>? StatusApplied;

    /// <summary>Nodes by corosync id, as configured in corosync and as seen in the group.</summary>
    public IReadOnlyDictionary<uint, string> KnownNodes => _knownNodes;

    /// <summary>Applies one bus event; returns what to multicast and what to run here.</summary>
    public CoreOutput OnBusEvent(BusEvent busEvent)
    {
        var output = new CoreOutput();
        if (busEvent is MessageDelivered delivered)
        {
            OnMessage(delivered, output);
        }
        else
        {
            if (busEvent is ViewChanged or BusDisconnected)
            {
                Config.OnViewChanged();
            }
            if (busEvent is ViewChanged view)
            {
                ForgetDepartedNodes(view);
            }
            if (busEvent is BusConnected connected)
            {
                Coordinator ??= new Coordinator(connected.Self.NodeId.ToString(CultureInfo.InvariantCulture), _coordinatorLogger, _nodeName);
            }
            var quorumBefore = Membership.Current.QuorumNodes;
            output.Messages.AddRange(Membership.OnEvent(busEvent).Select(m => m is ViewHello hello ? hello with { Config = Config.Stamp } : m));
            TrackJoining(quorumBefore);
            if (busEvent is ViewChanged or QuorumChanged or BusDisconnected)
            {
                Coordinator?.Invalidate("the membership changed");
            }
        }
        Coordinate(output);
        GuardQuorum(output);
        return output;
    }

    private void TrackJoining(IReadOnlyList<uint> quorumBefore)
    {
        var membership = Membership.Current;
        foreach (var id in membership.QuorumNodes)
        {
            // A daemon that left on purpose needs no fencing, so there is nothing to wait for.
            if (!quorumBefore.Contains(id) && id != membership.Self?.NodeId && !membership.LeftCleanly.Contains(id) && !membership.Members.Any(m => m.NodeId == id))
            {
                _joining.TryAdd(id, _time.GetUtcNow());
            }
        }
        foreach (var id in _joining.Keys.ToList())
        {
            if (!membership.QuorumNodes.Contains(id) || membership.Members.Any(m => m.NodeId == id))
            {
                _joining.Remove(id);
            }
        }
    }

    /// <summary>The corosync nodelist, as the host reads it: names for nodes not seen in the group yet.</summary>
    public void OnClusterNodes(IEnumerable<(uint NodeId, string Name)> nodes)
    {
        foreach (var (id, name) in nodes)
        {
            _knownNodes[id] = name;
        }
    }

    /// <summary>This node's executor finished an operation (or a recurring monitor changed its answer).</summary>
    public CoreOutput OnLocalResult(ExecuteAction action, OperationResult result)
    {
        var update = _recorder.Record(action, result, Config.Configuration.Options.StartFailureIsFatal, _time.GetUtcNow());
        Status.RecordLocal(update);
        var output = new CoreOutput();
        output.Messages.Add(update);
        return output;
    }

    /// <summary>The clock moved: overdue actions expire, the coordinator looks again.</summary>
    public CoreOutput OnTick()
    {
        var output = new CoreOutput();
        Coordinate(output);
        GuardQuorum(output);
        return output;
    }

    /// <summary>This node carried out a fence request: the outcome goes to every member.</summary>
    public CoreOutput OnFenceDone(FenceResult result)
    {
        var output = new CoreOutput();
        output.Messages.Add(result);
        return output;
    }

    /// <summary>
    /// Self-fencing (stonith-watchdog-timeout): a node whose partition lost quorum must have stopped what
    /// it runs within the deadline; if anything may still run then, it fences itself, because a quorate
    /// partition will conclude it fenced when the whole timeout has passed and recover its resources.
    /// </summary>
    private void GuardQuorum(CoreOutput output)
    {
        var membership = Membership.Current;
        if (membership.Quorate)
        {
            _quorumLostAt = null;
            return;
        }
        var now = _time.GetUtcNow();
        _quorumLostAt ??= now;
        if (_selfFenced || WatchdogFencing.SelfFenceDeadline(Config.Configuration) is not { } deadline || now < _quorumLostAt + deadline)
        {
            return;
        }
        var active = LocalActivity.MustStop(Status.Local, Config.Configuration);
        if (active.Count > 0)
        {
            SelfFence(output, $"quorum lost {(now - _quorumLostAt.Value).TotalSeconds:0.#} s ago and {string.Join(", ", active)} may still run (deadline {deadline.TotalSeconds:0.#} s)");
        }
    }

    private void SelfFence(CoreOutput output, string reason)
    {
        _selfFenced = true;
        output.SelfFence = reason;
        _logger.LogCritical("fencing this node: {Reason}", reason);
    }

    /// <summary>The earliest moment the core must look at the clock again without an event.</summary>
    public DateTimeOffset? NextDeadline =>
        new[]
        {
            Coordinator?.NextDeadline,
            _quorumLostAt is { } lost && !_selfFenced && WatchdogFencing.SelfFenceDeadline(Config.Configuration) is { } deadline ? lost + deadline : null,
            _joining.Count > 0 ? _joining.Values.Min() + JoinGrace : null,
        }.Min();

    private void OnMessage(MessageDelivered delivered, CoreOutput output)
    {
        var message = DaemonMessage.TryDecode(delivered.Payload.Span, out var error);
        if (message is null)
        {
            // A peer speaking garbage or another version must not stop this daemon.
            _logger.LogWarning("ignored a message from {Sender}: {Error}", delivered.Sender, error);
            return;
        }
        switch (message)
        {
            case ViewHello hello:
                _knownNodes[delivered.Sender.NodeId] = hello.NodeName;
                if (Membership.OnHello(delivered.Sender, hello) && Membership.Current.Self is { } self)
                {
                    // The view has settled: configuration copies are reconciled, and this node announces its status.
                    output.Messages.AddRange(Config.OnViewSettled(self, [.. Membership.Hellos.Select(h => (h.Sender, h.Hello.NodeName, h.Hello.Config ?? ConfigStore.StampOf(ClusterConfiguration.Empty, default)))]));
                    output.Messages.Add(Status.Announce());
                    _awaitingStatus = Membership.Hellos.Select(h => h.Hello.NodeName).ToHashSet(StringComparer.Ordinal);
                }
                break;
            case ConfigChange change:
                Config.OnChange(change);
                break;
            case ConfigFull full:
                Config.OnFull(full);
                Coordinator?.Invalidate("the configuration was synchronised");
                break;
            case StatusUpdate update:
                Coordinator?.OnStatusUpdate(update, Status.Apply(update));
                if (update.RequestId is { } requestId)
                {
                    StatusApplied?.Invoke(requestId);
                }
                break;
            case NodeStatusAnnounce announce:
                Status.Apply(announce);
                _awaitingStatus.Remove(announce.Node);
                Coordinator?.Invalidate($"{announce.Node} announced its status");
                break;
            case ExecuteAction action when action.Node == _nodeName:
                if (action.Task is "start" or "promote" && !Membership.Current.Quorate && Config.Configuration.Options.NoQuorumPolicy != NoQuorumPolicy.Ignore)
                {
                    // Sent while the partition had quorum, delivered after this node learned it lost it: the
                    // coordinator has aborted that plan, and a partition without quorum starts nothing.
                    _logger.LogWarning("refused {Resource} {Task}: this partition lost quorum after the coordinator sent it", action.ResourceId, action.Task);
                    break;
                }
                output.Executions.Add(action);
                break;
            case VolumeDefinitionPublish or VolumeDefinitionWritten:
                output.HostMessages.Add(message);
                break;
            case FenceRequest request:
                OnFenceRequest(request, output);
                break;
            case FenceResult result:
                OnFenceResult(result, output);
                break;
        }
    }

    private void OnFenceRequest(FenceRequest request, CoreOutput output)
    {
        if (request.WatchdogMs > 0 && request.Target == _nodeName && !_selfFenced)
        {
            SelfFence(output, $"the cluster is fencing this node ({request.Action}, watchdog)");
        }
        else if (request.WatchdogMs == 0 && request.Executor == _nodeName)
        {
            output.Fencings.Add(request);
        }
    }

    private void OnFenceResult(FenceResult result, CoreOutput output)
    {
        FencingHistory.Record(result);
        if (result.Succeeded)
        {
            _logger.LogWarning("{Target} was fenced ({Action}) by {Method} from {Executor}", result.Target, result.Action, result.Method, result.Executor);
            Status.OnNodeFenced(result.Target);
            if (result.Target == _nodeName && !_selfFenced)
            {
                // The cluster holds this node down and recovers its resources: it must not run anything.
                SelfFence(output, $"this node was reported fenced by {result.Method}");
            }
        }
        else
        {
            _logger.LogError("fencing {Target} ({Action}) failed: {Reason}", result.Target, result.Action, result.Reason);
        }
        Coordinator?.OnFenceResult(result, _time.GetUtcNow());
    }

    /// <summary>
    /// The elected member of the partition coordinates; without quorum it still runs the scheduler, which
    /// then applies the no-quorum-policy (stop, freeze, ignore, suicide) as Pacemaker's does.
    /// </summary>
    private void Coordinate(CoreOutput output)
    {
        if (Coordinator is not { } coordinator)
        {
            return;
        }
        var membership = Membership.Current;
        if (membership.Self is { } self && membership.Elected == self && !membership.ElectionPending && !Config.Synchronising)
        {
            coordinator.Activate();
        }
        else
        {
            coordinator.Deactivate();
            return;
        }
        if (_awaitingStatus.Count > 0)
        {
            // As Pacemaker's DC schedules only once the joining nodes have sent their history: what this
            // node kept about a member from before it crashed is stale until that member announces.
            return;
        }
        var now = _time.GetUtcNow();
        foreach (var (id, _) in _joining.Where(j => now >= j.Value + JoinGrace).ToList())
        {
            _joining.Remove(id);
            _coordinatorLogger.LogWarning("coordinator: the daemon of node {NodeId} did not join within {Seconds} s of its node joining the membership", id, JoinGrace.TotalSeconds);
        }
        if (_joining.Count > 0)
        {
            // A node's daemon is still joining the group: its facts are not known yet.
            return;
        }
        if (DaemonLostOnLiveNode() is { } lost)
        {
            if (_holdingFor != lost)
            {
                _holdingFor = lost;
                _coordinatorLogger.LogWarning(
                    "coordinator: waiting: the daemon of {Node} is gone but {Node} is still a member, so its resources may still run there and fencing is off; nothing moves until the daemon returns or {Node} leaves",
                    lost, lost, lost);
            }
            return;
        }
        _holdingFor = null;
        output.Messages.AddRange(coordinator.Step(Snapshot, now));
    }

    /// <summary>
    /// A node that corosync still counts as a member, whose daemon ran resources there and left the group
    /// without a clean shutdown: what it ran may still run, unseen. Pacemaker without fencing recovers such
    /// resources elsewhere anyway ("your resources are now likely compromised"); Tandem puts safety first and
    /// waits for the daemon to come back (it probes and announces what runs) or for the node to leave.
    /// With fencing on, the scheduler fences the node first, so there is nothing to wait for.
    /// </summary>
    private string? DaemonLostOnLiveNode()
    {
        if (Config.Configuration.Options.StonithEnabled)
        {
            return null;
        }
        var membership = Membership.Current;
        foreach (var id in membership.QuorumNodes)
        {
            if (membership.Members.Any(m => m.NodeId == id) || membership.LeftCleanly.Contains(id) || !_knownNodes.TryGetValue(id, out var name))
            {
                continue;
            }
            if (!Status.Node(name).Resources.IsEmpty)
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>What the scheduler decides from: configuration, status, membership, quorum, now.</summary>
    public ClusterSnapshot Snapshot()
    {
        var membership = Membership.Current;
        var configuration = Config.Configuration;
        foreach (var (id, name) in _knownNodes)
        {
            if (configuration.FindNode(name) is null)
            {
                // Pacemaker adds every cluster node to the configuration as it first sees it; so does Tandem.
                configuration = configuration with { Nodes = configuration.Nodes.Add(new Model.Cluster.Node(id.ToString(CultureInfo.InvariantCulture), name)) };
            }
        }
        var facts = configuration.Nodes
            .Where(n => n.Type is null or NodeType.Member)
            .Select(n =>
            {
                var id = uint.TryParse(n.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                if (Status.Fenced.Contains(n.Uname))
                {
                    // Fenced: down and expected down, whatever membership has noticed yet.
                    return new NodeFacts(id, n.Uname, false, false, false);
                }
                return new NodeFacts(
                    id,
                    n.Uname,
                    membership.QuorumNodes.Contains(id),
                    membership.Members.Any(m => m.NodeId == id),
                    !membership.LeftCleanly.Contains(id));
            });
        return new ClusterSnapshot(WatchdogFencing.ForScheduler(configuration), Status.ToSection(facts), _time.GetUtcNow())
        {
            HaveQuorum = membership.Quorate,
            // Tandem records status as Pacemaker 2.1.5 does (fail counts per operation, digests).
            FeatureSet = ExecutorOptions.FeatureSet,
            DcUuid = membership.Self?.NodeId.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Nodes with no member left in the view lose their transient attributes.</summary>
    private void ForgetDepartedNodes(ViewChanged view)
    {
        var names = Membership.Current.Names;
        foreach (var left in view.Left)
        {
            if (!view.Members.Any(m => m.NodeId == left.NodeId) && names.TryGetValue(left, out var name))
            {
                Status.OnNodeLeft(name);
            }
        }
    }
}
