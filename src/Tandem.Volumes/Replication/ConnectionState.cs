namespace Tandem.Volumes.Replication;

/// <summary>The peer link's state (DRBD's names).</summary>
public enum ConnectionState
{
    /// <summary>Not trying to reach the peer (after disconnect, split brain, or a refused handshake).</summary>
    StandAlone,

    /// <summary>Trying to reach the peer (connect, authenticate, handshake); retried until it works.</summary>
    Connecting,

    /// <summary>Replicating, no resync running.</summary>
    Connected,

    /// <summary>Replicating and sending out-of-sync blocks to the peer.</summary>
    SyncSource,

    /// <summary>Replicating and receiving out-of-sync blocks from the peer.</summary>
    SyncTarget,
}
