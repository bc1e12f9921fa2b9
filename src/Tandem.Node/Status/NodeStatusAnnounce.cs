namespace Tandem.Node.Status;

/// <summary>
/// A node's whole status as the node itself knows it, multicast by the node after every view change, so
/// a joining member, or the other side of a healed split, holds the same facts about it.
/// </summary>
public sealed record NodeStatusAnnounce(string Node, IReadOnlyList<ResourceStatus> Resources, IReadOnlyDictionary<string, string> Attributes) : DaemonMessage;
