using System.Threading.Channels;

namespace Tandem.Bus;

/// <summary>
/// The cluster bus: one process group per cluster, agreed-order multicast, membership and quorum.
/// Implemented over corosync (CPG + quorum) and in memory for deterministic simulation; both keep the
/// same guarantees (see <see cref="BusEvent"/>).
/// </summary>
public interface IClusterBus : IAsyncDisposable
{
    /// <summary>Every event for this member, in delivery order. Completes when the bus is disposed.</summary>
    ChannelReader<BusEvent> Events { get; }

    /// <summary>
    /// Multicasts <paramref name="payload"/> to the current view in agreed order, the sender included.
    /// Returns false when this member is not connected (no view); never reorders or drops a message it accepted
    /// (a member that stays connected delivers every message it sent, in the order it sent them).
    /// Throws <see cref="ArgumentException"/> for a payload longer than <see cref="ClusterBusLimits.MaxMessageBytes"/>.
    /// </summary>
    ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>What the membership layer knows about the cluster now (names, votes, links).
    /// Throws <see cref="BusUnavailableException"/> while this member is not connected.</summary>
    ValueTask<ClusterInfo> GetInfoAsync(CancellationToken cancellationToken);
}
