using Tandem.Bus.InMemory;

namespace Tandem.Bus.Tests;

/// <summary>votequorum's arithmetic, checked against what corosync-quorumtool shows for the same cluster.</summary>
public sealed class VotequorumCalculationTests
{
    private static InMemoryClusterConfig Nodes(int count, params uint[] votes) => new(
        "lab",
        [.. Enumerable.Range(1, count).Select(i => new InMemoryNode((uint)i, $"n{i}", votes.Length >= i ? votes[i - 1] : 1))]);

    [Theory]
    [InlineData(3, new uint[] { 1, 2, 3 }, 3u, 3u, 2u)]
    [InlineData(3, new uint[] { 1 }, 1u, 3u, 2u)]
    [InlineData(5, new uint[] { 1, 2, 3 }, 3u, 5u, 3u)]
    [InlineData(4, new uint[] { 1, 2 }, 2u, 4u, 3u)]
    [InlineData(1, new uint[] { 1 }, 1u, 1u, 1u)]
    public void Majority_of_expected_votes(int nodes, uint[] present, uint total, uint expected, uint quorum)
    {
        Assert.Equal((total, expected, quorum), VotequorumCalculation.Votes(Nodes(nodes), present, qdeviceCastsVote: false));
    }

    [Fact]
    public void Votes_are_weighted_per_node()
    {
        var config = Nodes(3, 1, 1, 3);
        Assert.Equal((3u, 5u, 3u), VotequorumCalculation.Votes(config, [3], false));
        Assert.Equal((2u, 5u, 3u), VotequorumCalculation.Votes(config, [1, 2], false));
    }

    [Fact]
    public void Two_node_lowers_quorum_to_one()
    {
        var config = Nodes(2) with { TwoNode = true };
        Assert.Equal((1u, 2u, 1u), VotequorumCalculation.Votes(config, [1], false));
        Assert.Equal((2u, 2u, 1u), VotequorumCalculation.Votes(config, [1, 2], false));
    }

    [Fact]
    public void Quorum_device_vote_counts_in_expected_and_in_the_partition_it_is_cast_for()
    {
        var config = Nodes(2) with { QdeviceVotes = 1 };
        Assert.Equal((2u, 3u, 2u), VotequorumCalculation.Votes(config, [1], true));
        Assert.Equal((1u, 3u, 2u), VotequorumCalculation.Votes(config, [2], false));
    }

    [Fact]
    public void Expected_votes_follow_present_votes_above_a_low_configured_value()
    {
        var config = Nodes(3) with { ExpectedVotes = 1 };
        Assert.Equal((3u, 3u, 2u), VotequorumCalculation.Votes(config, [1, 2, 3], false));
        Assert.Equal((1u, 1u, 1u), VotequorumCalculation.Votes(config, [1], false));
    }

    [Fact]
    public void Two_node_with_three_nodes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => (Nodes(3) with { TwoNode = true }).Validate());
        Assert.Equal("two_node: needs exactly 2 nodes, the cluster has 3", error.Message);
    }

    [Fact]
    public void Duplicate_node_ids_are_refused_naming_the_id()
    {
        var config = new InMemoryClusterConfig("lab", [new(1, "a"), new(1, "b")]);
        Assert.Equal("nodes: node id 1 is used twice", Assert.Throws<ArgumentException>(config.Validate).Message);
    }
}
