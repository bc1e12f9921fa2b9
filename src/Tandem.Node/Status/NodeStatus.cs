using System.Collections.Immutable;

namespace Tandem.Node.Status;

/// <summary>
/// What the cluster knows of one node's work: the history of every resource its executor ran or
/// probed, and its transient attributes (fail counts, promotion scores, ...). The node itself is the
/// authority on both: it announces them whenever a view settles.
/// </summary>
public sealed record NodeStatus(string Node, ImmutableDictionary<string, ResourceStatus> Resources, ImmutableDictionary<string, string> Attributes)
{
    public static NodeStatus Empty(string node) =>
        new(node, ImmutableDictionary<string, ResourceStatus>.Empty.WithComparers(StringComparer.Ordinal), ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Equal content, not equal references: two members' copies are compared this way.</summary>
    public bool Equals(NodeStatus? other) =>
        other is not null
        && Node == other.Node
        && ContentEquality.Same(Resources, other.Resources)
        && ContentEquality.Same(Attributes, other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Node, Resources.Count, Attributes.Count);
}
