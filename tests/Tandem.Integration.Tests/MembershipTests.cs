using Tandem.Bus;
using Tandem.Integration.Tests.Infrastructure;

namespace Tandem.Integration.Tests;

/// <summary>
/// Membership and quorum over real corosync in the lab, as every node's daemon reports them.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class MembershipTests
{
    [Fact]
    public async Task Two_nodes_form_a_quorate_cluster_with_one_coordinator()
    {
        await using var lab = await TestLab.UpAsync();
        var astapor = await lab.StatusAsync("astapor");
        var braavos = await lab.StatusAsync("braavos");
        Assert.True(astapor.Sees("astapor", "braavos"));
        Assert.True(braavos.Sees("astapor", "braavos"));
        Assert.True(astapor.Quorum.Quorate);
        Assert.Contains(QuorumFlags.TwoNode, astapor.Quorum.Flags);
        Assert.NotNull(astapor.Coordinator);
        Assert.Equal(astapor.Coordinator, braavos.Coordinator);
        Assert.All(astapor.Nodes, n => Assert.True(n.Daemon, $"{n.Name}'s daemon is not in the group"));
        Assert.Equal(astapor.ClusterName, braavos.ClusterName);
        Assert.Contains(astapor.Links, l => l.Peer == "braavos" && l.Connected);
    }

    [Fact]
    public async Task Killed_node_goes_offline_survivor_stays_quorate_and_the_node_rejoins()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.KillAsync("braavos");
        var alone = await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor"), "braavos going offline");
        Assert.True(alone.Quorum.Quorate, "two_node: the survivor keeps quorum");
        Assert.Equal("astapor", alone.Coordinator?.Name);

        await lab.StartAsync("braavos");
        var astapor = await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor", "braavos") && s.Coordinator is not null, "braavos rejoining");
        var braavos = await lab.WaitForStatusAsync("braavos", s => s.Sees("astapor", "braavos") && s.Coordinator is not null, "braavos rejoining");
        // The coordinator is kept while it stays a member: astapor, although braavos came back.
        Assert.Equal("astapor", astapor.Coordinator?.Name);
        Assert.Equal("astapor", braavos.Coordinator?.Name);
    }

    [Fact]
    public async Task Cut_cable_splits_the_cluster_as_corosync_reports_it_and_heal_merges_it()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.CutAsync("braavos");
        var astapor = await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor"), "the split seen from astapor");
        var braavos = await lab.WaitForStatusAsync("braavos", s => s.Sees("braavos"), "the split seen from braavos");
        // two_node: corosync keeps both halves quorate; only fencing can arbitrate (LAB.md).
        Assert.True(astapor.Quorum.Quorate);
        Assert.True(braavos.Quorum.Quorate);
        Assert.Equal("astapor", astapor.Coordinator?.Name);
        Assert.Equal("braavos", braavos.Coordinator?.Name);
        // knet marks the link down on its own ping timeout, which may come after the membership change
        // (token 500 ms): wait for it rather than expect it at the same instant.
        await lab.WaitForStatusAsync("astapor", s => s.Links.Any(l => l.Peer == "braavos" && !l.Connected), "the link to braavos reported down");

        await lab.HealAsync("braavos");
        var merged = await lab.WaitForStatusAsync("braavos", s => s.Sees("astapor", "braavos") && s.Coordinator is not null, "the merge");
        Assert.Equal("astapor", merged.Coordinator?.Name);
    }

    [Fact]
    public async Task Three_nodes_keep_a_quorate_majority_when_one_is_killed()
    {
        await using var lab = await TestLab.UpAsync("astapor,braavos,meereen");
        var formed = await lab.StatusAsync("meereen");
        Assert.True(formed.Sees("astapor", "braavos", "meereen"));
        Assert.DoesNotContain(QuorumFlags.TwoNode, formed.Quorum.Flags);

        await lab.KillAsync("astapor");
        var majority = await lab.WaitForStatusAsync("braavos", s => s.Sees("braavos", "meereen"), "astapor going offline");
        Assert.True(majority.Quorum.Quorate);
        Assert.Equal("braavos", majority.Coordinator?.Name);

        // A node cut off alone is a minority: not quorate, so no coordinator.
        await lab.CutAsync("meereen");
        var minority = await lab.WaitForStatusAsync("meereen", s => s.Sees("meereen"), "meereen alone");
        Assert.False(minority.Quorum.Quorate);
        Assert.Null(minority.Coordinator);
    }

    [Fact]
    public async Task Quorum_device_gives_the_tie_break_vote_to_one_side_of_a_split()
    {
        await using var lab = await TestLab.UpAsync(quorum: "qdevice");
        var formed = await lab.WaitForStatusAsync("astapor", s => s.Quorum.Flags.Contains(QuorumFlags.QdeviceCastVote), "the quorum device voting");
        Assert.True(formed.Quorum.Quorate);

        await lab.CutAsync("braavos");
        var kept = await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor"), "the split seen from astapor");
        var lost = await lab.WaitForStatusAsync("braavos", s => s.Sees("braavos") && !s.Quorum.Quorate, "braavos losing quorum");
        Assert.True(kept.Quorum.Quorate, "astapor keeps the arbiter's vote");
        Assert.Null(lost.Coordinator);
    }

    [Fact]
    public async Task Teardown_leaves_no_namespace_process_or_state_behind()
    {
        var lab = await TestLab.UpAsync();
        var processes = await lab.ProcessesAsync();
        Assert.NotEmpty(processes);
        await lab.DisposeAsync();
        Assert.Empty(lab.LeftoverNamespaces());
        Assert.False(lab.StateDirectoryExists);
        Assert.DoesNotContain(processes, p => p.IsAlive);
    }
}
