namespace Tandem.Node.Status;

/// <summary>
/// A change of one node's status, multicast by that node (operation results, with the fail counts they
/// raise) or by any node on its behalf (an attribute an agent set through a helper command, a cleanup).
/// </summary>
public sealed record StatusUpdate(string Node, IReadOnlyList<OperationUpdate> Operations, IReadOnlyList<AttributeChange> Attributes) : DaemonMessage
{
    /// <summary>Resources whose whole history on the node is forgotten first (cleanup: the resource is re-probed).</summary>
    public IReadOnlyList<string> Forget { get; init; } = [];

    /// <summary>Set by a daemon that answers its local API once the update is back and applied (an agent's next read must see its write).</summary>
    public string? RequestId { get; init; }
}
