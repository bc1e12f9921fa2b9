using Tandem.Node.Configuration;
using Tandem.Node.Status;

namespace Tandem.Node.Api;

/// <summary>
/// What the local API's route handlers may do with the daemon: read its core's state on the daemon's loop
/// (where it is consistent) and change the cluster through the bus, waiting until the change is back and
/// applied on this node. <see cref="DaemonHost"/> provides it.
/// </summary>
public interface IDaemonAccess
{
    /// <summary>This node's name.</summary>
    string NodeName { get; }

    /// <summary>How long a change may take to come back through the bus.</summary>
    TimeSpan ChangeTimeout { get; }

    Task<T> ReadAsync<T>(Func<DaemonCore, T> read, CancellationToken cancellationToken);

    /// <summary>Multicasts the updates; returns once every one has been delivered and applied here. Throws <see cref="ApiFailureException"/>.</summary>
    Task UpdateStatusAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken);

    /// <summary>Multicasts a configuration change and returns its outcome. Throws <see cref="ApiFailureException"/>.</summary>
    Task<ConfigChangeOutcome> ProposeAsync(ConfigChange change, CancellationToken cancellationToken);
}
