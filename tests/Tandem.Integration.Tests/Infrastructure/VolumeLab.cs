using System.Diagnostics;
using System.Text.Json;
using Tandem.Lab;
using Tandem.Volumes.Service;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>
/// A two-node lab with one replicated volume made through the real CLI inside the nodes: `volume create`
/// on astapor (the definition reaches both nodes through the daemons), create-md and up on both, a forced
/// Primary on astapor and the initial sync. Disposing unmounts, takes the volume down, tears the lab down
/// and checks that every loop device the volume used is detached, also after a failure.
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
            await v.TandemAsync("astapor", "volume", "create", v.Volume, "--size", size, "--resync-rate", "1G",
                "--node", $"astapor={LabLayout.NodeAddress(1)},braavos={LabLayout.NodeAddress(2)}");
            foreach (var node in new[] { "astapor", "braavos" })
            {
                await v.TandemAsync(node, "volume", "create-md", v.Volume);
                await v.TandemAsync(node, "volume", "up", v.Volume);
            }
            await v.TandemAsync("astapor", "volume", "primary", "--force", v.Volume);
            await v.NoteLoopAsync("astapor");
            await v.TandemAsync("astapor", "volume", "wait-sync", v.Volume, "--timeout", "300");
            return v;
        }
        catch
        {
            await v.DisposeAsync();
            throw;
        }
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

    private async Task NoteLoopAsync(string node)
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
            await Lab.ExecAsync(LongCommand, node, TandemCli.Path, "volume", "down", Volume).ContinueWith(_ => { }, TaskScheduler.Default);
        }
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

    /// <summary>The recorded loop devices still bound to this volume's image.</summary>
    public IReadOnlyList<string> LeftoverLoops() =>
        [.. _loops.Where(loop =>
        {
            var backing = $"/sys/block/{Path.GetFileName(loop)}/loop/backing_file";
            return File.Exists(backing) && File.ReadAllText(backing).Trim().EndsWith($"/{Volume}.img", StringComparison.Ordinal);
        })];
}
