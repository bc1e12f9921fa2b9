namespace Tandem.Volumes.Definition;

/// <summary>When a write counts as done (DRBD's protocols).</summary>
public enum ReplicationProtocol
{
    /// <summary>Synchronous: acknowledged after both replicas wrote it.</summary>
    C,

    /// <summary>Asynchronous: acknowledged after the local write, the peer follows.</summary>
    A,
}
