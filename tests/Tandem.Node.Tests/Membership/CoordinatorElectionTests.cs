using Tandem.Bus;
using Tandem.Node.Membership;

namespace Tandem.Node.Tests.Membership;

public class CoordinatorElectionTests
{
    private static readonly BusMember A = new(1, 100);
    private static readonly BusMember B = new(2, 200);
    private static readonly BusMember C = new(3, 300);

    /// <summary>Runs a view change on every member's election and delivers all hellos in one agreed order.</summary>
    private static void View(IReadOnlyDictionary<BusMember, CoordinatorElection> elections, params BusMember[] members)
    {
        var hellos = members.Select(m => (Sender: m, Claim: elections[m].OnViewChanged(members, elections[m].Elected))).ToList();
        foreach (var member in members)
        {
            foreach (var (sender, claim) in hellos)
            {
                elections[member].OnHello(sender, claim);
            }
        }
    }

    private static Dictionary<BusMember, CoordinatorElection> Elections(params BusMember[] members) =>
        members.ToDictionary(m => m, _ => new CoordinatorElection());

    [Fact]
    public void Cold_start_elects_the_lowest_node_id()
    {
        var elections = Elections(A, B, C);
        View(elections, C, B, A);
        Assert.All(elections.Values, e => Assert.Equal(A, e.Elected));
    }

    [Fact]
    public void Election_waits_for_every_members_hello()
    {
        var election = new CoordinatorElection();
        election.OnViewChanged([A, B], null);
        Assert.False(election.OnHello(A, null));
        Assert.True(election.Pending);
        Assert.Null(election.Elected);
        Assert.True(election.OnHello(B, null));
        Assert.Equal(A, election.Elected);
    }

    [Fact]
    public void Coordinator_is_kept_when_a_lower_node_joins()
    {
        var elections = Elections(A, B, C);
        View(elections, B, C);
        Assert.Equal(B, elections[C].Elected);

        // A boots later: it follows nobody, B and C follow B, so B stays coordinator.
        View(elections, A, B, C);
        Assert.All(elections.Values, e => Assert.Equal(B, e.Elected));
    }

    [Fact]
    public void Coordinator_leaving_elects_the_lowest_remaining()
    {
        var elections = Elections(A, B, C);
        View(elections, A, B, C);
        View(elections, B, C);
        Assert.Equal(B, elections[B].Elected);
        Assert.Equal(B, elections[C].Elected);
    }

    [Fact]
    public void Merge_of_two_partitions_keeps_the_lower_of_their_coordinators()
    {
        var d = new BusMember(4, 400);
        var elections = Elections(A, B, C, d);
        View(elections, A, B, C, d);
        // Split: {A, B} keeps A; {C, D} elects C.
        View(elections, A, B);
        View(elections, C, d);
        Assert.Equal(C, elections[d].Elected);
        View(elections, A, B, C, d);
        Assert.All(elections.Values, e => Assert.Equal(A, e.Elected));
    }

    [Fact]
    public void Restarted_daemon_is_a_new_member_and_does_not_inherit_coordination()
    {
        var elections = Elections(A, B);
        View(elections, A, B);
        var restartedA = new BusMember(1, 101);
        elections[restartedA] = new CoordinatorElection();
        View(elections, B);
        View(elections, restartedA, B);
        // B followed itself after A's old process left; the restarted A does not take over.
        Assert.Equal(B, elections[restartedA].Elected);
    }

    [Fact]
    public void Hello_from_a_non_member_or_twice_is_ignored()
    {
        var election = new CoordinatorElection();
        election.OnViewChanged([A, B], null);
        Assert.False(election.OnHello(C, C));
        Assert.False(election.OnHello(A, null));
        Assert.False(election.OnHello(A, B));
        Assert.True(election.OnHello(B, null));
        // A's second claim (B) was ignored: nobody follows anyone, so the lowest id wins.
        Assert.Equal(A, election.Elected);
    }

    [Fact]
    public void Only_a_quorate_partition_has_a_coordinator()
    {
        var elections = Elections(A, B);
        View(elections, A, B);
        Assert.Null(elections[A].Coordinator(quorate: false));
        Assert.Equal(A, elections[A].Coordinator(quorate: true));
    }
}
