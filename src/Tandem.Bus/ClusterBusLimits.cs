namespace Tandem.Bus;

/// <summary>Limits every implementation of <see cref="IClusterBus"/> enforces, so the twin refuses what corosync would.</summary>
public static class ClusterBusLimits
{
    /// <summary>
    /// The largest payload one multicast carries: corosync's largest atomic CPG message (libcpg's IPC
    /// request size of 1 MiB less 1024 bytes of headers, <c>cpg_max_atomic_msgsize_get</c>). libcpg would
    /// split larger messages into fragments, but a process that joins while fragments are in flight never
    /// delivers the message the others deliver, which breaks virtual synchrony; so the bus refuses them and
    /// a sender with more to say splits it into messages of its own.
    /// </summary>
    public const int MaxMessageBytes = (1024 * 1024) - 1024;
}
