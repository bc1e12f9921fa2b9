namespace Tandem.Agents.Execution;

/// <summary>
/// The notification passed to a clone's notify action: whether it comes before or after the operation,
/// which operation, and the instances (resource ids and node names, in matching order) in each set.
/// Pacemaker's legacy names (master/slave) are passed too, because agents such as linbit's drbd read them.
/// </summary>
public sealed record NotifyData(string Type, string Operation)
{
    public static IReadOnlyList<NotifyInstance> None { get; } = [];

    public IReadOnlyList<NotifyInstance> Start { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Stop { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Active { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Inactive { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Promote { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Demote { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Promoted { get; init; } = None;

    public IReadOnlyList<NotifyInstance> Unpromoted { get; init; } = None;

    /// <summary>Nodes where the clone may run (notify_available_uname).</summary>
    public IReadOnlyList<string> AvailableNodes { get; init; } = [];

    /// <summary>All nodes of the cluster (notify_all_uname).</summary>
    public IReadOnlyList<string> AllNodes { get; init; } = [];
}

/// <summary>One clone instance in a notification set.</summary>
public sealed record NotifyInstance(string Resource, string Node);
