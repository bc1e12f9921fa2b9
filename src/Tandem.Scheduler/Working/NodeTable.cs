namespace Tandem.Scheduler.Working;

/// <summary>
/// A resource's weighted nodes keyed by node id (Pacemaker's allowed-nodes hash table). Iteration
/// follows insertion order; every use that depends on order sorts first, as Pacemaker does.
/// </summary>
internal sealed class NodeTable
{
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    public int Count => _nodes.Count;

    public IEnumerable<Node> Values => _nodes.Values;

    public Node? Get(string id) => _nodes.GetValueOrDefault(id);

    public Node? Get(NodeDetails details) => _nodes.GetValueOrDefault(details.Id);

    public void Set(Node node) => _nodes[node.Id] = node;

    public bool Remove(string id) => _nodes.Remove(id);

    public void Clear() => _nodes.Clear();

    public NodeTable Copy()
    {
        var copy = new NodeTable();
        foreach (var node in _nodes.Values)
        {
            copy.Set(node.Copy());
        }
        return copy;
    }

    public static NodeTable FromList(IEnumerable<Node> nodes)
    {
        var table = new NodeTable();
        foreach (var node in nodes)
        {
            table.Set(node.Copy());
        }
        return table;
    }
}
