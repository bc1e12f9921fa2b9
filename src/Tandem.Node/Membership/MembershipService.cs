using Microsoft.Extensions.Logging;
using Tandem.Bus;

namespace Tandem.Node.Membership;

/// <summary>
/// Tracks the daemon's view of the cluster from the bus's events: members, quorum and the elected
/// coordinator. It is fed every event in delivery order by the daemon's loop and answers with the
/// messages to multicast; it does no I/O itself, so the simulator can drive it over the in-memory bus.
/// </summary>
public sealed class MembershipService(string nodeName, ILogger logger, TimeProvider time)
{
    private readonly CoordinatorElection _election = new();
    private readonly Dictionary<BusMember, string> _names = [];
    private readonly List<(BusMember Sender, ViewHello Hello)> _hellos = [];
    private BusMember? _self;
    private IReadOnlyList<BusMember> _members = [];
    private bool _quorate;
    private IReadOnlyList<uint> _quorumNodes = [];
    private ulong _ringSeq;
    private BusMember? _announcedCoordinator;
    private DateTimeOffset? _changedAt;
    private readonly HashSet<uint> _leftCleanly = [];

    public MembershipSnapshot Current { get; private set; } = MembershipSnapshot.Disconnected;

    /// <summary>Applies a bus event; returns the messages this daemon must multicast in reply.</summary>
    public IReadOnlyList<DaemonMessage> OnEvent(BusEvent busEvent)
    {
        IReadOnlyList<DaemonMessage> replies = [];
        switch (busEvent)
        {
            case BusConnected connected:
                _self = connected.Self;
                logger.LogInformation("bus: connected as {Self}", connected.Self);
                break;
            case BusDisconnected disconnected:
                logger.LogWarning("bus: disconnected ({Reason}); no view, no coordinator until corosync is back", disconnected.Reason);
                _self = null;
                _members = [];
                _quorate = false;
                _quorumNodes = [];
                _election.OnViewChanged([], null);
                _hellos.Clear();
                break;
            case ViewChanged view:
                _changedAt = time.GetUtcNow();
                _members = view.Members;
                _ringSeq = Math.Max(_ringSeq, view.RingSeq);
                foreach (var left in view.Left)
                {
                    if (view.LeftReasons.GetValueOrDefault(left, LeaveReason.NodeDown) == LeaveReason.Leave)
                    {
                        _leftCleanly.Add(left.NodeId);
                    }
                    _names.Remove(left);
                }
                foreach (var joined in view.Joined)
                {
                    _leftCleanly.Remove(joined.NodeId);
                }
                logger.LogInformation(
                    "view: members [{Members}] joined [{Joined}] left [{Left}]",
                    string.Join(' ', view.Members), string.Join(' ', view.Joined), string.Join(' ', view.Left));
                _hellos.Clear();
                replies = [new ViewHello(nodeName, _election.OnViewChanged(view.Members, Current.Coordinator))];
                break;
            case QuorumChanged quorum:
                _changedAt = time.GetUtcNow();
                _quorate = quorum.Quorate;
                _quorumNodes = quorum.Nodes;
                _ringSeq = Math.Max(_ringSeq, quorum.RingSeq);
                logger.LogInformation("quorum: {State}, nodes [{Nodes}]", quorum.Quorate ? "quorate" : "NOT quorate", string.Join(' ', quorum.Nodes));
                break;
            case MessageDelivered:
                break;
        }
        Publish();
        return replies;
    }

    /// <summary>The hellos of the current view in delivery order, complete once <see cref="OnHello"/> returned true.</summary>
    public IReadOnlyList<(BusMember Sender, ViewHello Hello)> Hellos => _hellos;

    /// <summary>Applies a member's hello. Returns true when it was the view's last: the view has settled.</summary>
    public bool OnHello(BusMember sender, ViewHello hello)
    {
        var settled = _election.OnHello(sender, hello.FollowedCoordinator);
        if (_election.Members.Contains(sender) && !_hellos.Any(h => h.Sender == sender))
        {
            _names[sender] = hello.NodeName;
            _hellos.Add((sender, hello));
        }
        Publish();
        return settled;
    }

    private void Publish()
    {
        var coordinator = _election.Coordinator(_quorate);
        if (coordinator != _announcedCoordinator && !_election.Pending)
        {
            logger.LogInformation(
                "coordinator: {Coordinator}",
                coordinator is { } c ? $"{_names.GetValueOrDefault(c, "?")} ({c})" : "none (partition not quorate or no view)");
            _announcedCoordinator = coordinator;
        }
        Current = new MembershipSnapshot(
            _self is not null,
            _self,
            _members,
            _quorate,
            _quorumNodes,
            _ringSeq,
            coordinator,
            _election.Pending,
            new Dictionary<BusMember, string>(_names),
            _changedAt,
            new HashSet<uint>(_leftCleanly),
            _election.Elected);
    }
}
