using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Services;

/// <summary>
/// systemd: Tandem's units in /etc/systemd/system. tandem-volume.service starts at boot; tandem.service
/// (which pulls corosync.service in) starts when the cluster is started; corosync.service and
/// pacemaker.service are never enabled on their own.
/// </summary>
public sealed class SystemdServiceManager(string tandemPath, ClusterPaths paths) : IServiceManager
{
    public string Name => "systemd";

    public async Task InstallAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.SystemdUnitDir);
        foreach (var unit in SystemdUnits.Names)
        {
            await File.WriteAllTextAsync(Path.Combine(paths.SystemdUnitDir, unit), SystemdUnits.Render(unit, tandemPath), cancellationToken).ConfigureAwait(false);
        }
        await SystemctlAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
        // Debian's package enables corosync at install: a node must not join by itself at boot.
        await SystemctlAsync(cancellationToken, "disable", "corosync.service").ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, "enable", SystemdUnits.Volumes).ConfigureAwait(false);
    }

    public async Task StartAsync(bool qdevice, CancellationToken cancellationToken)
    {
        await SystemctlAsync(cancellationToken, "start", SystemdUnits.Volumes).ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, "start", "corosync.service").ConfigureAwait(false);
        if (qdevice)
        {
            await SystemctlAsync(cancellationToken, "start", "corosync-qdevice.service").ConfigureAwait(false);
        }
        await SystemctlAsync(cancellationToken, "start", SystemdUnits.Daemon).ConfigureAwait(false);
    }

    public async Task StopAsync(bool volumes, CancellationToken cancellationToken)
    {
        string[] units = [SystemdUnits.Daemon, "corosync-qdevice.service", "corosync.service", .. volumes ? [SystemdUnits.Volumes] : Array.Empty<string>()];
        await SystemctlAsync(cancellationToken, ["stop", .. units]).ConfigureAwait(false);
    }

    public async Task UninstallAsync(CancellationToken cancellationToken)
    {
        await SystemctlAsync(cancellationToken, ["disable", .. SystemdUnits.Names]).ConfigureAwait(false);
        foreach (var unit in SystemdUnits.Names)
        {
            File.Delete(Path.Combine(paths.SystemdUnitDir, unit));
        }
        await SystemctlAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
    }

    private static async Task SystemctlAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await Processes.RunAsync("systemctl", arguments, TimeSpan.FromMinutes(11), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DeploymentException($"systemctl {string.Join(' ', arguments)} failed: {result.FirstLine}");
        }
    }
}
