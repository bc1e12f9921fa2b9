namespace Tandem.Scheduler.Working;

/// <summary>
/// A node as one resource (or the cluster) sees it: the shared details plus a weight (score), a count
/// of instances placed there, and the discovery mode. Allowed-node tables hold such copies.
/// </summary>
internal sealed class Node(NodeDetails details)
{
    public NodeDetails Details { get; } = details;
    public int Weight { get; set; }
    public bool Fixed { get; set; }
    public int Count { get; set; }
    public DiscoverMode DiscoverMode { get; set; }

    public string Id => Details.Id;
    public string Uname => Details.Uname;

    public Node Copy() => new(Details) { Weight = Weight, Fixed = Fixed, Count = Count, DiscoverMode = DiscoverMode };

    public bool SameAs(Node? other) => other is not null && ReferenceEquals(Details, other.Details);

    public override string ToString() => $"{Uname}={Weight}";
}
