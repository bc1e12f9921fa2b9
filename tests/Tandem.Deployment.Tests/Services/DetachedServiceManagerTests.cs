using System.Globalization;
using Tandem.Deployment.Cluster;
using Tandem.Deployment.Services;

namespace Tandem.Deployment.Tests.Services;

public sealed class DetachedServiceManagerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-services-").FullName;

    private DetachedServiceManager Manager(out string pidFile)
    {
        var paths = new ClusterPaths(_dir);
        pidFile = Path.Combine(paths.RunDir, "services", "daemon.pid");
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        return new DetachedServiceManager("/usr/local/bin/tandem", paths);
    }

    [Fact]
    public void A_service_is_running_when_its_pid_file_names_a_live_process_with_its_start_time()
    {
        var manager = Manager(out var pidFile);
        var pid = Environment.ProcessId;
        File.WriteAllText(pidFile, string.Create(CultureInfo.InvariantCulture, $"{pid} {Processes.StartTicks(pid)}\n"));
        Assert.Equal(pid, manager.RunningPid("daemon"));
    }

    [Fact]
    public void A_recycled_pid_is_not_taken_for_the_service()
    {
        var manager = Manager(out var pidFile);
        var pid = Environment.ProcessId;
        File.WriteAllText(pidFile, string.Create(CultureInfo.InvariantCulture, $"{pid} {Processes.StartTicks(pid) + 1}\n"));
        Assert.Null(manager.RunningPid("daemon"));
        Assert.Null(manager.RunningPid("corosync"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
