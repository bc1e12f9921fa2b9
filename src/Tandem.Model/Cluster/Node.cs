using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Scores;

namespace Tandem.Model.Cluster;

/// <summary>
/// A configured node: its id (the corosync node id for cluster members), its name, and the
/// permanent node attributes (standby, site names...) and utilization capacities set on it.
/// </summary>
public sealed record Node(string Id, string Uname)
{
    public NodeType? Type { get; init; }

    public string? Description { get; init; }

    /// <summary>A score given to every resource on this node (deprecated in Pacemaker).</summary>
    public Score? Score { get; init; }

    public ValueList<AttributeSet> Attributes { get; init; }

    public ValueList<AttributeSet> Utilization { get; init; }
}

/// <summary>The kind of a configured node.</summary>
public enum NodeType
{
    Member,
    Ping,
    Remote,
}
