namespace Tandem.Bench.Failover;

/// <summary>One HA stack as the failover benchmark drives it, above the lab's corosync.</summary>
public interface IClusterStack
{
    string Name { get; }

    /// <summary>Per-node preparation after a boot (private directories), before corosync starts.</summary>
    Task PrepareAsync(string node);

    /// <summary>Starts the stack's daemon(s) on a node whose corosync answers; returns at once.</summary>
    Task StartAsync(string node);

    /// <summary>Loads the seed configuration (IPaddr2 VIP + Dummy in a group, stickiness 100, migration-threshold 1, fencing off, no-quorum-policy ignore).</summary>
    Task ConfigureAsync(string node);

    /// <summary>
    /// Whether the cluster is at rest as <paramref name="observer"/> sees it: the powered nodes online, the
    /// group on one node, nothing failed, nothing left to do. Returns the group's node, or null.
    /// </summary>
    Task<string?> SettledAsync(string observer, IReadOnlyList<string> online);

    /// <summary>The administrator's command that puts a node in standby, run inside <paramref name="node"/>.</summary>
    Task StandbyAsync(string node, bool on);

    /// <summary>Forgets the failures of the service (fail counts, failed actions).</summary>
    Task CleanupAsync(string node);

    /// <summary>The node's log, and how to find events in it.</summary>
    StackLog Log(string node);
}
