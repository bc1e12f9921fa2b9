namespace Tandem.Bus;

/// <summary>A configured node: its id and name, and whether the membership layer sees it now.</summary>
public sealed record NodeInfo(uint NodeId, string Name, bool Member)
{
    /// <summary>The votes the node brings to quorum (corosync's quorum_votes, 1 unless configured).</summary>
    public uint Votes { get; init; } = 1;
}

/// <summary>A link from this node to a peer as the transport reports it (knet link number, connected).</summary>
public sealed record LinkInfo(uint PeerNodeId, int LinkNumber, bool Connected);

/// <summary>Vote accounting as votequorum reports it for this node. <paramref name="Flags"/> holds the words of
/// <see cref="QuorumFlags"/>.</summary>
public sealed record QuorumInfo(
    bool Quorate,
    uint ExpectedVotes,
    uint TotalVotes,
    uint Quorum,
    IReadOnlyList<string> Flags);

/// <summary>A snapshot of the membership layer's view, for status and for the daemon's decisions.</summary>
public sealed record ClusterInfo(
    string ClusterName,
    uint LocalNodeId,
    IReadOnlyList<NodeInfo> Nodes,
    QuorumInfo Quorum,
    IReadOnlyList<LinkInfo> Links,
    IReadOnlyDictionary<string, string> Totem);
