namespace Tandem.Bus.InMemory;

/// <summary>
/// votequorum's arithmetic (corosync exec/votequorum.c, calculate_quorum and are_we_quorate) for one
/// node: quorum is a majority of the highest of expected and present votes; two_node lowers it to 1 while
/// at most two voters are present; wait_for_all withholds quorum until every vote was present at once.
/// </summary>
public static class VotequorumCalculation
{
    /// <summary>The votes present and the quorum a node computes in a partition.</summary>
    public static (uint TotalVotes, uint ExpectedVotes, uint Quorum) Votes(
        InMemoryClusterConfig config, IEnumerable<uint> partitionNodeIds, bool qdeviceCastsVote)
    {
        var votesById = config.Nodes.ToDictionary(n => n.NodeId, n => n.Votes);
        var voters = 0;
        uint total = 0;
        foreach (var id in partitionNodeIds)
        {
            total += votesById[id];
            voters++;
        }
        if (qdeviceCastsVote)
        {
            total += config.QdeviceVotes;
            voters++;
        }
        // Expected votes follow the present votes upwards, never below the configured value.
        var expected = Math.Max(config.ExpectedVotesInForce, total);
        var quorum = Math.Max((expected + 2) / 2, (total + 2) / 2);
        if (config.TwoNode && voters <= 2)
        {
            quorum = 1;
        }
        return (total, expected, quorum);
    }
}
