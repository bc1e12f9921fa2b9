using Tandem.Bus;
using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>
/// Turns libcpg's and libquorum's callbacks, in the order corosync dispatches them, into the bus's events.
/// Pure: callbacks in, events out.
/// <para>
/// When the ring changes, corosync's CPG service (exec/cpg.c, cpg_sync_activate) first sends a configuration
/// change for the processes of nodes that left (reason NODEDOWN), then one for processes of nodes that
/// joined (NODEUP), then the totem configuration change with the new ring id, with no message between them.
/// The assembler holds such changes until the totem change arrives and reports them as one
/// <see cref="ViewChanged"/> carrying the new ring's sequence number. A process joining or leaving on its
/// own (JOIN, LEAVE, PROCDOWN) changes the view at once, in the current ring.
/// </para>
/// <para>
/// The first view after joining is held the same way (corosync follows our own join with the initial totem
/// configuration) and is announced as <see cref="BusConnected"/> then <see cref="ViewChanged"/>; quorum
/// notifications that arrive before that wait for it, so no event precedes <see cref="BusConnected"/>.
/// </para>
/// </summary>
internal sealed class CorosyncEventAssembler(uint localNodeId, uint localPid)
{
    private readonly List<Confchg> _held = [];
    private readonly List<QuorumChanged> _heldQuorum = [];
    private List<BusMember> _members = [];
    private ulong _ringSeq;
    private bool _ringKnown;
    private BusMember? _self;

    /// <summary>One membership change of the group as libcpg reports it.</summary>
    public sealed record Confchg(
        IReadOnlyList<BusMember> Members,
        IReadOnlyList<(BusMember Member, Cpg.Reason Reason)> Left,
        IReadOnlyList<(BusMember Member, Cpg.Reason Reason)> Joined);

    /// <summary>This process as the group knows it, once its first view arrived.</summary>
    public BusMember? Self => _self;

    public IReadOnlyList<BusEvent> OnConfchg(Confchg change)
    {
        _held.Add(change);
        var fromRingChange = change.Left.Any(l => l.Reason == Cpg.Reason.NodeDown)
            || change.Joined.Any(j => j.Reason == Cpg.Reason.NodeUp);
        return !_ringKnown || fromRingChange ? [] : Release();
    }

    public IReadOnlyList<BusEvent> OnTotemConfchg(ulong ringSeq)
    {
        _ringSeq = ringSeq;
        _ringKnown = true;
        return Release();
    }

    public IReadOnlyList<BusEvent> OnMessage(BusMember sender, ReadOnlyMemory<byte> payload)
    {
        var message = new MessageDelivered(sender, payload);
        if (_held.Count == 0)
        {
            return [message];
        }
        // corosync never delivers a message between a ring change's confchgs and its totem change; should one
        // come, the held view goes first so the order of views and messages is kept.
        var events = Release();
        events.Add(message);
        return events;
    }

    public IReadOnlyList<BusEvent> OnQuorum(bool quorate, ulong ringSeq, IEnumerable<uint> nodes)
    {
        var quorum = new QuorumChanged(quorate, ringSeq, [.. nodes.Order()]);
        if (_self is null)
        {
            _heldQuorum.Add(quorum);
            return [];
        }
        return [quorum];
    }

    private List<BusEvent> Release()
    {
        var events = new List<BusEvent>();
        if (_held.Count == 0)
        {
            return events;
        }
        var members = _held[^1].Members.Order().ToList();
        if (_self is null)
        {
            var self = FindSelf();
            _self = self;
            events.Add(new BusConnected(self));
            events.Add(new ViewChanged(_ringSeq, members, [], [self]));
            events.AddRange(_heldQuorum);
            _heldQuorum.Clear();
        }
        else
        {
            var now = members.ToHashSet();
            var before = _members.ToHashSet();
            var left = _members.Where(m => !now.Contains(m)).ToList();
            var joined = members.Where(m => !before.Contains(m)).ToList();
            if (left.Count > 0 || joined.Count > 0)
            {
                var reasons = new Dictionary<BusMember, LeaveReason>();
                foreach (var (member, reason) in _held.SelectMany(c => c.Left))
                {
                    if (!now.Contains(member))
                    {
                        reasons[member] = ToLeaveReason(reason);
                    }
                }
                foreach (var member in left.Where(m => !reasons.ContainsKey(m)))
                {
                    // Dropped without a left entry: only a node that left the ring can vanish that way.
                    reasons[member] = LeaveReason.NodeDown;
                }
                events.Add(new ViewChanged(_ringSeq, members, left, joined) { LeftReasons = reasons });
            }
        }
        _members = members;
        _held.Clear();
        return events;
    }

    /// <summary>Our own entry in the first change: our node, our pid (or the one process of our node that joined).</summary>
    private BusMember FindSelf()
    {
        var first = _held[0];
        var ours = first.Joined.Select(j => j.Member).Where(m => m.NodeId == localNodeId).ToList();
        var exact = new BusMember(localNodeId, localPid);
        if (ours.Contains(exact) || ours.Count != 1)
        {
            return exact;
        }
        return ours[0];
    }

    private static LeaveReason ToLeaveReason(Cpg.Reason reason) => reason switch
    {
        Cpg.Reason.Leave => LeaveReason.Leave,
        Cpg.Reason.NodeDown => LeaveReason.NodeDown,
        _ => LeaveReason.ProcessDown,
    };
}
