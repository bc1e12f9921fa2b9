using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Services;

/// <summary>
/// Without systemd (the lab's nodes, containers): the services run as detached processes in their own
/// sessions, as `tandem lab` starts them, with their output in /var/log/tandem/NAME.log and their pid and
/// start time in /run/tandem/services/NAME.pid, so they are stopped by pid, never by name.
/// </summary>
public sealed partial class DetachedServiceManager(string tandemPath, ClusterPaths paths) : IServiceManager
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private sealed record Service(string Name, string[] Command, TimeSpan StopTimeout);

    private Service Volumes => new("volume", [tandemPath, "volume", "serve"], TimeSpan.FromSeconds(30));
    private static Service Corosync => new("corosync", ["corosync", "-f"], TimeSpan.FromSeconds(20));
    private static Service QDevice => new("qdevice", ["corosync-qdevice", "-f"], TimeSpan.FromSeconds(10));
    private Service Daemon => new("daemon", [tandemPath, "daemon"], TimeSpan.FromSeconds(60));

    public string Name => "detached processes";

    private string PidDir => Path.Combine(paths.RunDir, "services");

    public Task InstallAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UninstallAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(bool qdevice, CancellationToken cancellationToken)
    {
        await StartAsync(Volumes, cancellationToken).ConfigureAwait(false);
        await StartAsync(Corosync, cancellationToken).ConfigureAwait(false);
        await WaitForCorosyncAsync(cancellationToken).ConfigureAwait(false);
        if (qdevice)
        {
            await StartAsync(QDevice, cancellationToken).ConfigureAwait(false);
        }
        await StartAsync(Daemon, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(bool volumes, CancellationToken cancellationToken)
    {
        foreach (var service in (Service[])[Daemon, QDevice, Corosync, .. volumes ? [Volumes] : Array.Empty<Service>()])
        {
            await StopAsync(service, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pid of a running service started by this manager, or null.</summary>
    public int? RunningPid(string service)
    {
        var file = Path.Combine(PidDir, service + ".pid");
        if (!File.Exists(file))
        {
            return null;
        }
        var fields = File.ReadAllText(file).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }
        return Processes.StartTicks(pid) == ticks ? pid : null;
    }

    private async Task StartAsync(Service service, CancellationToken cancellationToken)
    {
        if (RunningPid(service.Name) is not null)
        {
            return;
        }
        Directory.CreateDirectory(PidDir);
        Directory.CreateDirectory(paths.LogDir);
        var pidFile = Path.Combine(PidDir, service.Name + ".pid");
        var started = pidFile + ".new";
        File.Delete(started);
        var log = Path.Combine(paths.LogDir, service.Name + ".log");
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        // The shell writes its own pid, then becomes the service: that pid is the service's.
        foreach (var argument in (string[])["-f", "sh", "-c", "echo $$ > \"$1\"; log=$2; shift 2; exec \"$@\" </dev/null >>\"$log\" 2>&1", "service", started, log, .. service.Command])
        {
            start.ArgumentList.Add(argument);
        }
        using (var launcher = Process.Start(start) ?? throw new DeploymentException("cannot run setsid"))
        {
            await launcher.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(started) && int.TryParse(File.ReadAllText(started).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Processes.StartTicks(pid) is { } ticks)
            {
                await File.WriteAllTextAsync(pidFile, $"{pid} {ticks}\n", cancellationToken).ConfigureAwait(false);
                File.Delete(started);
                return;
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        throw new DeploymentException($"{service.Name} did not start (see {log})");
    }

    private async Task StopAsync(Service service, CancellationToken cancellationToken)
    {
        if (RunningPid(service.Name) is not { } pid)
        {
            File.Delete(Path.Combine(PidDir, service.Name + ".pid"));
            return;
        }
        var ticks = Processes.StartTicks(pid);
        _ = Kill(pid, SigTerm);
        var stopwatch = Stopwatch.StartNew();
        while (Processes.StartTicks(pid) == ticks && ticks is not null)
        {
            if (stopwatch.Elapsed > service.StopTimeout)
            {
                _ = Kill(pid, SigKill);
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        File.Delete(Path.Combine(PidDir, service.Name + ".pid"));
    }

    private static async Task WaitForCorosyncAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = await Processes.RunAsync("corosync-cmapctl", ["-g", "totem.cluster_name"], TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new DeploymentException("corosync did not start within 30 s (see /var/log/tandem/corosync.log)");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
