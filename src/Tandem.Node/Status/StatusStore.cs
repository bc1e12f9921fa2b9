using System.Collections.Immutable;
using System.Globalization;
using Tandem.Model.Scores;
using Tandem.Model.Status;
using ModelAttributeSet = Tandem.Model.Status.AttributeSet;

namespace Tandem.Node.Status;

/// <summary>
/// The cluster's status: every node's operation history and transient attributes. Every member applies
/// the same updates in delivery order, so a new coordinator can act at once from its own copy. Each node
/// is the authority on its own status and announces it whole after a view change. Pure.
/// </summary>
public sealed class StatusStore(string localNode)
{
    private ImmutableDictionary<string, NodeStatus> _nodes = ImmutableDictionary<string, NodeStatus>.Empty.WithComparers(StringComparer.Ordinal);

    // This node's own status as its executor knows it: changed when an update is made here (before it is
    // multicast) and by every delivered update about this node. Announcements are made from it, so an
    // update still in flight is never undone by the announcement that follows it.
    private NodeStatus _authority = NodeStatus.Empty(localNode);

    private ImmutableHashSet<string> _fenced = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, NodeStatus> Nodes => _nodes;

    /// <summary>Nodes fenced since their daemon last announced itself: down, whatever membership says yet.</summary>
    public IReadOnlySet<string> Fenced => _fenced;

    public NodeStatus Local => Node(localNode);

    public NodeStatus Node(string node) => _nodes.TryGetValue(node, out var status) ? status : NodeStatus.Empty(node);

    /// <summary>This node's whole status, to multicast once the view has settled.</summary>
    public NodeStatusAnnounce Announce() => new(localNode, [.. _authority.Resources.Values.OrderBy(r => r.Id, StringComparer.Ordinal)], _authority.Attributes);

    /// <summary>An update about this node made here, before it is multicast.</summary>
    public void RecordLocal(StatusUpdate update) => _authority = Applied(_authority, update);

    public void Apply(NodeStatusAnnounce announce)
    {
        _nodes = _nodes.SetItem(announce.Node, new NodeStatus(
            announce.Node,
            announce.Resources.ToImmutableDictionary(r => r.Id, StringComparer.Ordinal),
            announce.Attributes.ToImmutableDictionary(StringComparer.Ordinal)));
        // Its daemon speaks again: the node is back from its fencing.
        _fenced = _fenced.Remove(announce.Node);
    }

    /// <summary>
    /// A node was fenced: nothing runs there any more. Its operation history and transient attributes go,
    /// as Pacemaker's controller erases them, so the scheduler sees its resources stopped and recovers them.
    /// </summary>
    public void OnNodeFenced(string node)
    {
        _nodes = _nodes.SetItem(node, NodeStatus.Empty(node));
        _fenced = _fenced.Add(node);
        if (node == localNode)
        {
            _authority = NodeStatus.Empty(node);
        }
    }

    /// <summary>
    /// Applies a delivered update. Returns true when it changed a transient attribute or forgot history:
    /// facts the coordinator must plan again for (an agent rewriting the same promotion score is not one).
    /// </summary>
    public bool Apply(StatusUpdate update)
    {
        var before = Node(update.Node);
        var after = Applied(before, update);
        _nodes = _nodes.SetItem(update.Node, after);
        if (update.Node == localNode)
        {
            // Idempotent: an update made here was already recorded; one made elsewhere (cleanup) is news.
            _authority = Applied(_authority, update);
        }
        return !ContentEquality.Same(before.Attributes, after.Attributes)
            || update.Forget.Any(before.Resources.ContainsKey);
    }

    private static NodeStatus Applied(NodeStatus status, StatusUpdate update)
    {
        var resources = status.Resources.RemoveRange(update.Forget);
        foreach (var operation in update.Operations)
        {
            if (operation.Record.Operation is "cancel" or "notify" && !resources.ContainsKey(operation.ResourceId))
            {
                // Neither is history (ResourceStatus.Record): a resource unknown here stays unknown.
                continue;
            }
            var resource = resources.TryGetValue(operation.ResourceId, out var known)
                ? known
                : ResourceStatus.Create(operation.ResourceId, operation.Class, operation.Provider, operation.Type);
            resources = resources.SetItem(operation.ResourceId, resource.Record(operation.Record, operation.Failed));
        }
        var attributes = status.Attributes;
        foreach (var change in update.Attributes)
        {
            attributes = change.Value switch
            {
                null => attributes.Remove(change.Name),
                AttributeChange.Increment => attributes.SetItem(change.Name, Incremented(attributes.GetValueOrDefault(change.Name))),
                _ => attributes.SetItem(change.Name, change.Value),
            };
        }
        return status with { Resources = resources, Attributes = attributes };
    }

    // Applied where the update is delivered, so concurrent increments all count, as attrd's "value++" does.
    private static string Incremented(string? value) =>
        Score.TryParse(value ?? "0", out var current, out _)
            ? (current + 1).ToString()
            : "1";

    /// <summary>A node left the membership: its transient attributes go (as Pacemaker's attrd drops them); its history stays.</summary>
    public void OnNodeLeft(string node)
    {
        if (_nodes.TryGetValue(node, out var status))
        {
            _nodes = _nodes.SetItem(node, status with { Attributes = status.Attributes.Clear() });
        }
    }

    /// <summary>The status section the scheduler reads, for the nodes membership knows of.</summary>
    public StatusSection ToSection(IEnumerable<NodeFacts> facts) =>
        new([.. facts.Select(ToNodeState)], []);

    private NodeState ToNodeState(NodeFacts facts)
    {
        var status = Node(facts.Name);
        var id = facts.NodeId.ToString(CultureInfo.InvariantCulture);
        return new NodeState
        {
            Id = id,
            Uname = facts.Name,
            InCcm = facts.InMembership ? "true" : "false",
            Crmd = facts.DaemonRunning ? "online" : "offline",
            Join = facts.DaemonRunning ? "member" : "down",
            Expected = facts.ExpectedUp ? "member" : "down",
            TransientAttributes = status.Attributes.IsEmpty
                ? []
                : [new ModelAttributeSet($"status-{id}", 0, [.. status.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)])],
            HasResourceHistory = true,
            Resources = [.. status.Resources.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToHistory())],
        };
    }
}
