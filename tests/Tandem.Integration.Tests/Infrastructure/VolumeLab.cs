using System.Diagnostics;
using System.Text.Json;
using Tandem.Lab;
using Tandem.Volumes.Service;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>
/// A two-node lab with one replicated volume made through the real CLI inside the nodes (LabVolume:
/// `volume create` on astapor, create-md and up on both, a forced Primary on astapor, the initial sync),
/// or the seed scenario's volume (SeedScenario.CreateVolumeAsync). Disposing unmounts, takes the volume
/// down, tears the lab down and checks that every loop device the volume used is detached, also after a
/// failure.
/// </summary>
public sealed class VolumeLab : IAsyncDisposable
{
    public const string MountPoint = "/tmp/mnt";
    private static readonly TimeSpan LongCommand = TimeSpan.FromMinutes(5);
    private readonly HashSet<string> _loops = [];

    private VolumeLab(TestLab lab)
    {
        Lab = lab;
        // Unique per test: a loop device left by this test can never be mistaken for another's.
        Volume = "v" + lab.Name;
    }

    public TestLab Lab { get; }

    public string Volume { get; }

    public string Device => $"/dev/tandem/{Volume}";

    public static async Task<VolumeLab> UpAsync(string size)
    {
        var lab = await TestLab.UpAsync();
        var v = new VolumeLab(lab);
        try
        {
            await new LabVolume(new LabController(lab.Name), TandemCli.Path, v.Volume).CreateAsync(size, lab.Nodes, CancellationToken.None);
            await v.NoteLoopAsync("astapor");
            return v;
        }
        catch
        {
            await v.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The seed scenario's volume, ext4 on it, both replicas Secondary: ready for the cluster's
    /// ocf:tandem:volume. The nodes run this repository's agent (bound over the installed one inside each
    /// node's private mount namespace), so the test checks the agent as built here.
    /// </summary>
    public static async Task<VolumeLab> UpSeedAsync()
    {
        var lab = await TestLab.UpAsync();
        var v = new VolumeLab(lab);
        try
        {
            foreach (var node in lab.Nodes)
            {
                await v.ShAsync(node, $"mount --bind {RepositoryAgent()} {InstalledAgent}");
            }
            await SeedScenario.CreateVolumeAsync(new LabController(lab.Name), TandemCli.Path, v.Volume, CancellationToken.None);
            return v;
        }
        catch
        {
            await v.DisposeAsync();
            throw;
        }
    }

    private const string InstalledAgent = "/usr/lib/ocf/resource.d/tandem/volume";

    private static string RepositoryAgent()
    {
        Assert.True(File.Exists(InstalledAgent), $"{InstalledAgent} is missing: run ./build.sh install once");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var agent = Path.Combine(dir.FullName, "agents", "ocf", "tandem", "volume");
            if (File.Exists(agent))
            {
                return agent;
            }
        }
        throw new FileNotFoundException("agents/ocf/tandem/volume (repository root not found above the test assembly)");
    }

    /// <summary>`tandem ARGS` inside a node; fails the test with its output unless it succeeds.</summary>
    public async Task<CommandResult> TandemAsync(string node, params string[] arguments)
    {
        var result = await TryTandemAsync(node, arguments);
        Assert.True(result.Succeeded, $"[{node}] tandem {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result;
    }

    public Task<CommandResult> TryTandemAsync(string node, params string[] arguments) =>
        Lab.ExecAsync(LongCommand, node, [TandemCli.Path, .. arguments]);

    /// <summary>A shell script inside a node; returns its standard output.</summary>
    public async Task<string> ShAsync(string node, string script)
    {
        var result = await Lab.ExecAsync(LongCommand, node, "sh", "-c", script);
        Assert.True(result.Succeeded, $"[{node}] sh -c '{script}' exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput;
    }

    public async Task<VolumeStatus> StatusAsync(string node)
    {
        var result = await TandemAsync(node, "volume", "status", Volume, "--json");
        return JsonSerializer.Deserialize<VolumeStatus[]>(result.StandardOutput, Tandem.Cli.Output.Json.Options)?.Single()
            ?? throw new InvalidOperationException("empty volume status");
    }

    /// <summary>Polls a node's volume status until it satisfies the condition; fails with the last status seen.</summary>
    public async Task<VolumeStatus> WaitAsync(string node, Func<VolumeStatus, bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        VolumeStatus last;
        do
        {
            last = await StatusAsync(node);
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(200);
        }
        while (stopwatch.Elapsed < TestLab.SettleTimeout);
        Assert.Fail($"{node}: {what} did not happen within {TestLab.SettleTimeout.TotalSeconds} s; last status: {last.Line} {last.Problem}");
        throw new UnreachableException();
    }

    /// <summary>Promotes a node (recording its loop device for the final check).</summary>
    public async Task PromoteAsync(string node, bool force = false)
    {
        await TandemAsync(node, force ? ["volume", "primary", "--force", Volume] : ["volume", "primary", Volume]);
        await NoteLoopAsync(node);
    }

    /// <summary>Mounts /dev/tandem/NAME on /tmp/mnt inside the node (its private /tmp and mount namespace).</summary>
    public Task MountAsync(string node) => ShAsync(node, $"mkdir -p {MountPoint} && mount {Device} {MountPoint}");

    public Task UnmountAsync(string node) => ShAsync(node, $"umount {MountPoint}");

    /// <summary>SHA-256 of the whole device (on the Primary) or of the data area of the backing file (on a Secondary).</summary>
    public async Task<string> DataChecksumAsync(string node, long sizeBytes)
    {
        var status = await StatusAsync(node);
        var source = status.Device is not null ? Device : $"/var/lib/tandem/volumes/{Volume}.img";
        var output = await ShAsync(node, $"head -c {sizeBytes} {source} | sha256sum");
        return output.Split(' ')[0];
    }

    /// <summary>Records the loop device of the volume where it is Primary now, for the final check.</summary>
    public async Task NoteLoopAsync(string node)
    {
        if ((await StatusAsync(node)).LoopDevice is { } loop)
        {
            _loops.Add(loop);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Lab.Nodes)
        {
            // Best effort: a node may be powered off already; the teardown below removes the rest.
            await Lab.ExecAsync(node, "umount", "-l", MountPoint).ContinueWith(_ => { }, TaskScheduler.Default);
            await Lab.ExecAsync(node, "umount", "-l", SeedScenario.MountPoint).ContinueWith(_ => { }, TaskScheduler.Default);
            await Lab.ExecAsync(LongCommand, node, TandemCli.Path, "volume", "down", Volume).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        KeepLogs();
        await Lab.DisposeAsync();
        // Loop devices are host-wide: the volume service marks them auto-clear, so none may outlive the lab.
        var stopwatch = Stopwatch.StartNew();
        while (LeftoverLoops().Count > 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        var left = LeftoverLoops();
        foreach (var loop in left)
        {
            await HostCommand.RunAsync("losetup", ["-d", loop], TimeSpan.FromSeconds(10));
        }
        Assert.True(left.Count == 0, $"loop devices left attached after the lab went down: {string.Join(", ", left)}");
    }

    /// <summary>With TANDEM_KEEP_LAB_LOGS=DIR, the nodes' logs are copied to DIR/LAB before the lab goes (to read a failure).</summary>
    private void KeepLogs()
    {
        if (Environment.GetEnvironmentVariable("TANDEM_KEEP_LAB_LOGS") is not { Length: > 0 } keep)
        {
            return;
        }
        foreach (var node in Lab.Nodes)
        {
            var from = new LabLayout(Lab.Name).LogDir(node);
            var to = Path.Combine(keep, Lab.Name, node);
            Directory.CreateDirectory(to);
            foreach (var file in Directory.Exists(from) ? Directory.GetFiles(from) : [])
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    /// <summary>The recorded loop devices still bound to this volume's image.</summary>
    public IReadOnlyList<string> LeftoverLoops() =>
        [.. _loops.Where(loop =>
        {
            var backing = $"/sys/block/{Path.GetFileName(loop)}/loop/backing_file";
            return File.Exists(backing) && File.ReadAllText(backing).Trim().EndsWith($"/{Volume}.img", StringComparison.Ordinal);
        })];
}
