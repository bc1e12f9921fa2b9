namespace Tandem.Bus.InMemory;

/// <summary>A node of the simulated cluster: corosync's nodelist entry.</summary>
public sealed record InMemoryNode(uint NodeId, string Name, uint Votes = 1);

/// <summary>
/// The simulated cluster's corosync configuration: nodes and votequorum settings, with corosync's
/// defaults (wait_for_all follows two_node; expected votes are the sum of all votes).
/// </summary>
public sealed record InMemoryClusterConfig(string ClusterName, IReadOnlyList<InMemoryNode> Nodes)
{
    /// <summary>The totem settings corosync 3.1.7 puts in force when corosync.conf sets none.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultTotem = new Dictionary<string, string>
    {
        ["transport"] = "knet",
        ["token"] = "3000",
        ["consensus"] = "3600",
        ["join"] = "50",
    };

    /// <summary>votequorum two_node: with exactly two nodes, one node alone keeps quorum.</summary>
    public bool TwoNode { get; init; }

    /// <summary>votequorum wait_for_all; null means corosync's default, which is on exactly when <see cref="TwoNode"/> is.</summary>
    public bool? WaitForAll { get; init; }

    /// <summary>quorum.expected_votes; null means the sum of the nodes' votes and the quorum device's.</summary>
    public uint? ExpectedVotes { get; init; }

    /// <summary>Votes of a quorum device (corosync-qnetd, algorithm ffsplit); 0 means no quorum device.</summary>
    public uint QdeviceVotes { get; init; }

    public IReadOnlyDictionary<string, string> Totem { get; init; } = DefaultTotem;

    public bool WaitForAllInForce => WaitForAll ?? TwoNode;

    public uint ExpectedVotesInForce => ExpectedVotes ?? (uint)Nodes.Sum(n => (long)n.Votes) + QdeviceVotes;

    /// <summary>Refuses what corosync refuses, naming the field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterName))
        {
            throw new ArgumentException("cluster name: must not be empty");
        }
        if (Nodes.Count == 0)
        {
            throw new ArgumentException("nodes: at least one node is needed");
        }
        foreach (var node in Nodes)
        {
            if (node.NodeId == 0)
            {
                throw new ArgumentException($"node '{node.Name}': node id 0 is reserved (corosync uses it for the quorum device)");
            }
            if (string.IsNullOrWhiteSpace(node.Name))
            {
                throw new ArgumentException($"node {node.NodeId}: name must not be empty");
            }
        }
        if (Nodes.GroupBy(n => n.NodeId).FirstOrDefault(g => g.Count() > 1) is { } sameId)
        {
            throw new ArgumentException($"nodes: node id {sameId.Key} is used twice");
        }
        if (Nodes.GroupBy(n => n.Name).FirstOrDefault(g => g.Count() > 1) is { } sameName)
        {
            throw new ArgumentException($"nodes: node name '{sameName.Key}' is used twice");
        }
        if (TwoNode && Nodes.Count != 2)
        {
            throw new ArgumentException($"two_node: needs exactly 2 nodes, the cluster has {Nodes.Count}");
        }
        if (TwoNode && QdeviceVotes > 0)
        {
            throw new ArgumentException("two_node: cannot be combined with a quorum device (corosync refuses it)");
        }
        if (ExpectedVotes == 0)
        {
            throw new ArgumentException("expected_votes: must be at least 1");
        }
    }
}
