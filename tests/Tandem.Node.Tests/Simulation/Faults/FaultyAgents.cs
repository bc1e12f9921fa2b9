using System.Globalization;
using Tandem.Agents.Execution;
using Tandem.Node.Coordination;

namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// The simulated ground truth: what really runs on each node, answered by a model of well-behaved agents
/// that faults can make misbehave. Resources are Stopped, Started or Promoted per node. A resource of type
/// <c>volume</c> models a replicated volume like ocf:tandem:volume: replicas connected to each other
/// (both up, nodes reaching each other) hold the same data; the Primary writes while time passes; a
/// replica that attaches without its peer is only Consistent; the promotion score follows the real
/// agent's rule (UpToDate and connected 10000, UpToDate alone 1000, else none). The agent itself does not
/// refuse a promotion, so only the cluster keeps stale data from being promoted.
/// </summary>
public sealed class FaultyAgents
{
    private readonly Dictionary<(uint Node, string Resource), InstanceRole> _roles = [];
    private readonly Dictionary<(uint Node, string Resource), Replica> _replicas = [];
    private readonly Dictionary<(uint Node, string Key), (ExecuteAction Action, int LastRc)> _recurring = [];
    private readonly Dictionary<(uint Node, string Resource, string Task), AgentFault> _faults = [];
    private readonly List<PendingOperation> _pending = [];

    /// <summary>The number of the newest write any Primary acknowledged.</summary>
    public long Written { get; private set; }

    /// <summary>Sabotage for the checker's own test: this resource's stop reports success and leaves it running.</summary>
    public string? StopDoesNothingFor { get; init; }

    /// <summary>Every operation run, as one readable line each, for the trace of a violation.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Whether two nodes' replicas reach each other (set by the simulation from the network).</summary>
    public Func<uint, uint, bool> Connected { get; set; } = (_, _) => false;

    public Func<uint, string> NodeName { get; set; } = id => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Calls of a promotion of a replica that missed acknowledged writes (the invariant checker reads them).</summary>
    public List<string> StalePromotions { get; } = [];

    /// <summary>
    /// Promotions of a replica that missed only writes its Primary acknowledged while the two were up and cut
    /// apart. With the volume's fencing policy dont-care (DRBD's default, and the seed's configuration)
    /// such writes are lost on failover whatever the cluster does: nothing tells the cluster they exist.
    /// Preventing it is the volume's resource-level fencing (resource-and-stonith with a fence-peer
    /// handler), not the coordinator's; the simulation counts these, it does not fail on them.
    /// </summary>
    public List<string> WritesLostApart { get; } = [];

    public InstanceRole Role(uint node, string resource) => _roles.GetValueOrDefault((node, resource));

    /// <summary>Every (node, resource) that is not Stopped, in a stable order.</summary>
    public IEnumerable<(uint Node, string Resource, InstanceRole Role)> Active =>
        _roles.Where(r => r.Value != InstanceRole.Stopped)
            .OrderBy(r => r.Key.Resource, StringComparer.Ordinal).ThenBy(r => r.Key.Node)
            .Select(r => (r.Key.Node, r.Key.Resource, r.Value));

    public Replica? ReplicaOf(uint node, string resource) => _replicas.GetValueOrDefault((node, resource));

    public bool HasPending => _pending.Count > 0;

    /// <summary>The next operation of the task on the resource on the node fails or hangs.</summary>
    public void Inject(uint node, string resource, string task, AgentFault fault) => _faults[(node, resource, task)] = fault;

    public void ClearFaults() => _faults.Clear();

    /// <summary>The service dies behind the agent's back; the next monitor finds it stopped.</summary>
    public void Kill(uint node, string resource)
    {
        _roles[(node, resource)] = InstanceRole.Stopped;
        if (_replicas.TryGetValue((node, resource), out var replica))
        {
            replica.Up = false;
            replica.Primary = false;
        }
    }

    /// <summary>A node powered off: nothing runs there, its monitors and operations are gone.</summary>
    public void PowerOff(uint node)
    {
        foreach (var key in _roles.Keys.Where(k => k.Node == node).ToList())
        {
            Kill(node, key.Resource);
        }
        ForgetExecutor(node);
    }

    /// <summary>The node's executor died with its daemon: monitors and answers in flight are lost, resources run on.</summary>
    public void ForgetExecutor(uint node)
    {
        foreach (var key in _recurring.Keys.Where(k => k.Node == node).ToList())
        {
            _recurring.Remove(key);
        }
        _pending.RemoveAll(p => p.Node == node);
    }

    /// <summary>Time passes: every Primary writes, connected replicas follow.</summary>
    public void Write()
    {
        Synchronise();
        foreach (var ((node, resource), replica) in _replicas.Where(r => r.Value.Up && r.Value.Primary).ToList())
        {
            replica.Generation = ++Written;
            replica.MissedApart = replica.MissedOtherwise = false;
            foreach (var ((peer, _), other) in _replicas.Where(r => r.Key.Resource == resource && r.Key.Node != node))
            {
                if (other.Primary && other.Up)
                {
                    other.MissedApart = true;
                }
                else if (other.Up && Connected(node, peer))
                {
                    other.Generation = replica.Generation;
                    other.UpToDate = true;
                    other.MissedApart = other.MissedOtherwise = false;
                }
                else if (other.Up && other.UpToDate)
                {
                    // It believes it holds the newest data (the agent scores it 1000): only resource fencing would know better.
                    other.MissedApart = true;
                }
                else
                {
                    other.MissedOtherwise = true;
                }
            }
        }
    }

    /// <summary>
    /// Connected replicas resynchronise: towards the Primary if there is one, else towards the newest data.
    /// Two Primaries never resync (split brain: the replication link refuses them).
    /// </summary>
    public void Synchronise()
    {
        foreach (var group in _replicas.Where(r => r.Value.Up).GroupBy(r => r.Key.Resource))
        {
            var up = group.ToList();
            foreach (var (a, ra) in up)
            {
                var peers = up.Where(p => p.Key.Node != a.Node && Connected(a.Node, p.Key.Node)).ToList();
                if (peers.Count == 0)
                {
                    continue;
                }
                var all = peers.Select(p => p.Value).Append(ra).ToList();
                var primaries = all.Where(r => r.Primary).ToList();
                if (primaries.Count > 1)
                {
                    continue;
                }
                var source = primaries.FirstOrDefault() ?? all.MaxBy(r => r.Generation)!;
                foreach (var replica in all)
                {
                    replica.Generation = source.Generation;
                    replica.UpToDate = true;
                    replica.MissedApart = source.MissedApart;
                    replica.MissedOtherwise = source.MissedOtherwise;
                }
            }
        }
    }

    /// <summary>Runs an operation. Null when it hangs: its timeout result comes from <see cref="Expire"/>.</summary>
    public OperationResult? Run(uint node, ExecuteAction action, DateTimeOffset now, out string? score)
    {
        score = null;
        var resource = Primitive(action.ResourceId);
        if (action.Task is "stop" or "promote" or "demote")
        {
            // A role change or a stop ends the monitors of the old state first, as the executor does.
            foreach (var key in _recurring.Keys.Where(k => k.Node == node && Primitive(_recurring[k].Action.ResourceId) == resource).ToList())
            {
                _recurring.Remove(key);
            }
        }
        if (_pending.Any(p => p.Node == node && Primitive(p.Action.ResourceId) == resource))
        {
            // The executor runs one operation of a resource at a time: this one waits behind the hung one.
            _pending.Add(new PendingOperation(node, action, null, Queued: true));
            Log.Add($"{NodeName(node)}: {Describe(action)} waits behind a hung operation");
            return null;
        }
        if (_faults.Remove((node, resource, action.Task), out var fault) && fault.Hangs)
        {
            Apply(node, resource, action, fault);
            _pending.Add(new PendingOperation(node, action, now + TimeSpan.FromMilliseconds(action.TimeoutMs), Queued: false));
            Log.Add($"{NodeName(node)}: {Describe(action)} hangs");
            return null;
        }
        return Complete(node, action, fault, out score);
    }

    /// <summary>Hung operations past their timeout end with a timeout; operations queued behind them run.</summary>
    public IReadOnlyList<(uint Node, ExecuteAction Action, OperationResult Result, string? Score)> Expire(DateTimeOffset now)
    {
        var done = new List<(uint, ExecuteAction, OperationResult, string?)>();
        foreach (var hung in _pending.Where(p => !p.Queued && p.Deadline <= now).ToList())
        {
            _pending.Remove(hung);
            Log.Add($"{NodeName(hung.Node)}: {Describe(hung.Action)} timed out");
            done.Add((hung.Node, hung.Action, TimedOut(hung.Action), null));
            var resource = Primitive(hung.Action.ResourceId);
            foreach (var queued in _pending.Where(p => p.Node == hung.Node && Primitive(p.Action.ResourceId) == resource).ToList())
            {
                _pending.Remove(queued);
                done.Add((queued.Node, queued.Action, Complete(queued.Node, queued.Action, null, out var score), score));
            }
        }
        return done;
    }

    public void Cancel(uint node, ExecuteAction cancel) =>
        _recurring.Remove((node, $"{Primitive(cancel.ResourceId)}_{cancel.Meta.GetValueOrDefault("operation", "monitor")}_{cancel.IntervalMs}"));

    /// <summary>Runs every recurring monitor once; returns the results that changed (and scores the agents set).</summary>
    public IReadOnlyList<(uint Node, ExecuteAction Action, OperationResult Result, string? Score)> RunMonitors()
    {
        var changed = new List<(uint, ExecuteAction, OperationResult, string?)>();
        foreach (var (key, (action, lastRc)) in _recurring.ToList())
        {
            var resource = Primitive(action.ResourceId);
            if (_faults.Remove((key.Node, resource, "monitor"), out var fault))
            {
                // A failed or hung recurring monitor: the executor reports an error (a hang ends in a timeout).
                _recurring[key] = (action, -1);
                Log.Add($"{NodeName(key.Node)}: {Describe(action)} {(fault.Hangs ? "timed out" : "failed")}");
                changed.Add((key.Node, action, fault.Hangs ? TimedOut(action) : Result(action, 1), null));
                continue;
            }
            var rc = Monitor(key.Node, resource);
            var score = Score(key.Node, resource);
            if (rc != lastRc)
            {
                _recurring[key] = (action, rc);
                Log.Add($"{NodeName(key.Node)}: {Describe(action)} -> {rc}");
                changed.Add((key.Node, action, Result(action, rc), score));
            }
        }
        return changed;
    }

    private OperationResult Complete(uint node, ExecuteAction action, AgentFault? fault, out string? score)
    {
        var resource = Primitive(action.ResourceId);
        Synchronise();
        int rc;
        if (fault is { } failure)
        {
            Apply(node, resource, action, failure);
            rc = 1;
        }
        else
        {
            rc = Execute(node, resource, action);
        }
        if (action.IntervalMs > 0)
        {
            _recurring[(node, $"{resource}_{action.Task}_{action.IntervalMs}")] = (action, rc);
        }
        score = action.Task is "start" or "monitor" or "demote" or "notify" or "stop" ? Score(node, resource) : null;
        Log.Add($"{NodeName(node)}: {Describe(action)} -> {rc}");
        return Result(action, rc);
    }

    private int Execute(uint node, string resource, ExecuteAction action)
    {
        var key = (node, resource);
        switch (action.Task)
        {
            case "start":
                Start(node, resource, action);
                return 0;
            case "stop" when resource == StopDoesNothingFor:
                return 0;
            case "stop":
                Stop(node, resource);
                return 0;
            case "promote" when Role(node, resource) == InstanceRole.Stopped:
                // Nothing runs to promote (it died behind the agent's back): `tandem volume primary` fails.
                return 1;
            case "promote":
                Promote(node, resource);
                return 0;
            case "demote":
                _roles[key] = InstanceRole.Started;
                if (_replicas.TryGetValue(key, out var replica))
                {
                    replica.Primary = false;
                }
                return 0;
            case "monitor":
                return Monitor(node, resource);
            default:
                return 0;
        }
    }

    /// <summary>What a failed or hung operation leaves behind: the worst case the cluster must cope with.</summary>
    private void Apply(uint node, string resource, ExecuteAction action, AgentFault fault)
    {
        switch (action.Task)
        {
            case "start" when fault.LeavesRunning:
                Start(node, resource, action);
                break;
            case "promote" when fault.LeavesRunning && Role(node, resource) != InstanceRole.Stopped:
                Promote(node, resource);
                break;
        }
        // A failed stop or demote leaves the resource as it was.
    }

    private void Start(uint node, string resource, ExecuteAction action)
    {
        _roles[(node, resource)] = InstanceRole.Started;
        if (action.Type == "volume")
        {
            var replica = _replicas.TryGetValue((node, resource), out var known) ? known : _replicas[(node, resource)] = new Replica { MissedOtherwise = Written > 0 };
            replica.Up = true;
            replica.Primary = false;
            // Attached without its peer, a replica cannot know whether it holds the newest data.
            replica.UpToDate = false;
            Synchronise();
        }
    }

    private void Stop(uint node, string resource)
    {
        _roles[(node, resource)] = InstanceRole.Stopped;
        if (_replicas.TryGetValue((node, resource), out var replica))
        {
            replica.Up = false;
            replica.Primary = false;
        }
    }

    private void Promote(uint node, string resource)
    {
        _roles[(node, resource)] = InstanceRole.Promoted;
        if (_replicas.TryGetValue((node, resource), out var replica))
        {
            Synchronise();
            if (replica.Generation < Written)
            {
                var promotion = $"{resource} promoted on {NodeName(node)} holding write {replica.Generation} of {Written}";
                (replica.MissedApart && !replica.MissedOtherwise ? WritesLostApart : StalePromotions).Add(promotion);
            }
            replica.Primary = true;
            replica.UpToDate = true;
        }
    }

    private int Monitor(uint node, string resource) => Role(node, resource) switch
    {
        InstanceRole.Promoted => 8,
        InstanceRole.Started => 0,
        _ => 7,
    };

    /// <summary>The promotion score the volume agent sets (crm_master): null for other agents, "" to delete it.</summary>
    private string? Score(uint node, string resource)
    {
        if (!_replicas.TryGetValue((node, resource), out var replica))
        {
            return null;
        }
        Synchronise();
        if (!replica.Up || !replica.UpToDate)
        {
            return replica.Score is null ? null : Scored(replica, "");
        }
        var connected = _replicas.Any(r => r.Key.Resource == resource && r.Key.Node != node && r.Value.Up && Connected(node, r.Key.Node));
        return Scored(replica, connected ? "10000" : "1000");
    }

    private static string? Scored(Replica replica, string value)
    {
        var current = replica.Score ?? "";
        if (current == value)
        {
            return null;
        }
        replica.Score = value.Length == 0 ? null : value;
        return value;
    }

    /// <summary>The primitive an action names: an anonymous clone's instance number does not matter on one node.</summary>
    public static string Primitive(string resourceId) => resourceId.Split(':')[0];

    private static string Describe(ExecuteAction action) =>
        action.IntervalMs > 0 ? $"{action.ResourceId} {action.Task} every {action.IntervalMs / 1000}s" : $"{action.ResourceId} {action.Task}";

    private static OperationResult Result(ExecuteAction action, int rc) => new()
    {
        ResourceId = action.ResourceId,
        Action = action.Task,
        IntervalMs = action.IntervalMs,
        Status = rc switch { 0 => OperationStatus.Success, 7 => OperationStatus.NotRunning, 8 => OperationStatus.Promoted, _ => OperationStatus.Error },
        ExitCode = (OcfExitCode)rc,
        ErrorClass = rc is 0 or 7 or 8 ? ErrorClass.None : ErrorClass.Soft,
    };

    private static OperationResult TimedOut(ExecuteAction action) => new()
    {
        ResourceId = action.ResourceId,
        Action = action.Task,
        IntervalMs = action.IntervalMs,
        Status = OperationStatus.Timeout,
        ExitCode = OcfExitCode.ErrGeneric,
        ErrorClass = ErrorClass.Soft,
        ExitReason = $"{action.Task} timed out after {action.TimeoutMs} ms",
    };

    /// <summary>One replica of a volume on one node.</summary>
    public sealed class Replica
    {
        public bool Up { get; set; }

        public bool Primary { get; set; }

        /// <summary>The newest write this replica holds.</summary>
        public long Generation { get; set; }

        /// <summary>Known to hold the newest data (it reached its peer since it attached).</summary>
        public bool UpToDate { get; set; }

        /// <summary>Missed a write acknowledged by a Primary it was up but cut off from (dont-care fencing loses these).</summary>
        public bool MissedApart { get; set; }

        /// <summary>Missed a write while it was down: attached alone it is only Consistent, and must never be promoted.</summary>
        public bool MissedOtherwise { get; set; }

        /// <summary>The promotion score the agent last set on its node.</summary>
        public string? Score { get; set; }
    }

    private sealed record PendingOperation(uint Node, ExecuteAction Action, DateTimeOffset? Deadline, bool Queued);
}

/// <summary>What really runs on a node.</summary>
public enum InstanceRole
{
    Stopped,
    Started,
    Promoted,
}

/// <summary>An agent's next operation fails (exit 1) or hangs until its timeout; either may leave a start or promote done.</summary>
public sealed record AgentFault(bool Hangs, bool LeavesRunning);
