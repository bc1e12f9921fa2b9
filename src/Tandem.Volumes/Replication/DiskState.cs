namespace Tandem.Volumes.Replication;

/// <summary>The state of a replica's data (DRBD's names).</summary>
public enum DiskState
{
    /// <summary>No local data attached (the volume is down), or the peer's disk when unknown.</summary>
    Diskless,

    /// <summary>Not a usable image: never synced, or a resync target in progress.</summary>
    Inconsistent,

    /// <summary>Consistent but known to be older than the peer's: never promoted without --force.</summary>
    Outdated,

    /// <summary>The peer's disk when the peer cannot be seen.</summary>
    DUnknown,

    /// <summary>Consistent, but whether it is the newest is not known (attached without the peer).</summary>
    Consistent,

    /// <summary>Holds the newest data.</summary>
    UpToDate,
}
