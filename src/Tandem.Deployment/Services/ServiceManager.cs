namespace Tandem.Deployment.Services;

/// <summary>
/// Starts and stops a node's services: the volume service, corosync (with corosync-qdevice when the
/// cluster has a quorum device) and the Tandem daemon, in that order, and stops them in reverse.
/// </summary>
public interface IServiceManager
{
    /// <summary>Shown to the user: "systemd" or "detached processes".</summary>
    string Name { get; }

    /// <summary>Makes the services known to the service manager (unit files); nothing to do without one.</summary>
    Task InstallAsync(CancellationToken cancellationToken);

    /// <summary>Starts the volume service, corosync and the daemon; returns when corosync answers.</summary>
    Task StartAsync(bool qdevice, CancellationToken cancellationToken);

    /// <summary>Stops the daemon and corosync (the cluster leaves this node); the volume service too when asked.</summary>
    Task StopAsync(bool volumes, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="InstallAsync"/> added.</summary>
    Task UninstallAsync(CancellationToken cancellationToken);
}

public static class ServiceManagers
{
    /// <summary>
    /// systemd when it is this machine's init (sd_booted: /run/systemd/system exists), else detached
    /// processes, as in the lab's nodes and in containers.
    /// </summary>
    public static IServiceManager ForThisMachine(string tandemPath, Cluster.ClusterPaths paths) =>
        Directory.Exists("/run/systemd/system") ? new SystemdServiceManager(tandemPath, paths) : new DetachedServiceManager(tandemPath, paths);
}
