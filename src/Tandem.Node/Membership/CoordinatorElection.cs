using Tandem.Bus;

namespace Tandem.Node.Membership;

/// <summary>
/// Elects the coordinator without election rounds. On every view change each member multicasts a
/// <see cref="ViewHello"/> naming the coordinator it followed (if that one is still a member). Hellos
/// travel in agreed order inside the view, so once every member's hello has arrived, every member holds
/// the same set of claims and decides the same way:
/// <list type="bullet">
/// <item>the lowest-id member that some member still follows (a coordinator is kept while it stays a
///   member; when partitions merge, the lower of their coordinators wins);</item>
/// <item>if nobody follows anyone (cold start, or the coordinator left), the member with the lowest node id.</item>
/// </list>
/// The elected member acts as coordinator only while the partition is quorate.
/// Pure state machine: events in, state out; no I/O, no clock.
/// </summary>
public sealed class CoordinatorElection
{
    private readonly Dictionary<BusMember, BusMember?> _claims = [];
    private HashSet<BusMember> _members = [];

    /// <summary>The member elected in the current view, once every member has said hello.</summary>
    public BusMember? Elected { get; private set; }

    /// <summary>True until every member of the current view has said hello.</summary>
    public bool Pending => _members.Count > 0 && _claims.Count < _members.Count;

    public IReadOnlyCollection<BusMember> Members => _members;

    /// <summary>
    /// A new view. <paramref name="followed"/> is the coordinator this member acted under before it (none
    /// if its partition had no quorum: a member elected in a minority never coordinated, so it must not
    /// displace the majority's coordinator at the merge). Returns the claim this member must multicast:
    /// the coordinator it followed, if still a member.
    /// </summary>
    public BusMember? OnViewChanged(IReadOnlyList<BusMember> members, BusMember? followed)
    {
        _members = [.. members];
        _claims.Clear();
        Elected = null;
        return followed is { } f && _members.Contains(f) ? f : null;
    }

    /// <summary>A member's hello arrived. Returns true when this completed the election.</summary>
    public bool OnHello(BusMember sender, BusMember? claim)
    {
        if (!_members.Contains(sender) || _claims.ContainsKey(sender))
        {
            // A hello from a member of an earlier view, or a duplicate: the view change made it moot.
            return false;
        }
        _claims[sender] = claim is { } c && _members.Contains(c) ? c : null;
        if (Pending)
        {
            return false;
        }
        var followed = _claims.Values.OfType<BusMember>().ToList();
        Elected = followed.Count > 0 ? followed.Min() : _members.Min();
        return true;
    }

    /// <summary>The coordinator in force: the elected member, but only in a quorate partition.</summary>
    public BusMember? Coordinator(bool quorate) => quorate ? Elected : null;
}
