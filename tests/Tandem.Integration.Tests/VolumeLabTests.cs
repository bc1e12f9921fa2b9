using System.Diagnostics;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Volumes.Replication;

namespace Tandem.Integration.Tests;

/// <summary>
/// The replicated volume in the lab: two nodes, each with its own volume service, loop devices and file
/// systems inside the node's namespaces, replicating over the lab's network; faults are the lab's
/// (power-off, cable cut). Each test removes what it made (VolumeLab), also when it fails.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class VolumeLabTests
{
    private const string Mnt = VolumeLab.MountPoint;

    [Fact]
    public async Task A_1GiB_volume_syncs_carries_ext4_and_switches_primary_with_equal_checksums()
    {
        const long size = 1L << 30;
        await using var v = await VolumeLab.UpAsync("1G");
        var synced = await v.StatusAsync("astapor");
        Assert.Equal("cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C", synced.Line);
        Assert.Equal(size, synced.LastResyncBytes);

        await v.ShAsync("astapor", $"mkfs.ext4 -q -F {v.Device}");
        await v.MountAsync("astapor");
        await v.ShAsync("astapor", $"cd {Mnt} && for i in 1 2 3 4 5 6 7 8; do dd if=/dev/urandom of=f$i bs=1M count=8 status=none; done && mkdir d && seq 1 50000 > d/numbers && sync");
        var files = await v.ShAsync("astapor", $"cd {Mnt} && sha256sum f* d/numbers");
        await v.UnmountAsync("astapor");
        var device = await v.DataChecksumAsync("astapor", size);

        await v.TandemAsync("astapor", "volume", "secondary", v.Volume);
        Assert.Null((await v.StatusAsync("astapor")).Device);
        await v.PromoteAsync("braavos");
        Assert.Equal("Primary/Secondary", (await v.TandemAsync("braavos", "volume", "role", v.Volume)).StandardOutput.Trim());
        Assert.Equal(device, await v.DataChecksumAsync("braavos", size));
        await v.ShAsync("braavos", $"e2fsck -fn {v.Device}");
        await v.MountAsync("braavos");
        Assert.Equal(files, await v.ShAsync("braavos", $"cd {Mnt} && sha256sum f* d/numbers"));
    }

    [Fact]
    public async Task Powering_off_the_primary_mid_fsync_loses_no_fsynced_record_and_leaves_no_loop_device()
    {
        await using var v = await VolumeLab.UpAsync("256M");
        await v.ShAsync("astapor", $"mkfs.ext4 -q -F {v.Device}");
        await v.MountAsync("astapor");
        // Each record is appended and fsync'ed (sync FILE); only then is its number logged, on the node's
        // /var/lib/tandem, which is a host directory that outlives the node.
        await v.ShAsync("astapor", $"setsid -f sh -c 'i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); echo record-$i >> {Mnt}/records && sync {Mnt}/records && echo $i >> /var/lib/tandem/acked.log || exit 0; done' </dev/null >/dev/null 2>&1");
        var acked = Path.Combine(v.Lab.MachineDir("astapor"), "var-lib-tandem", "acked.log");
        await Until(() => File.Exists(acked) && File.ReadAllLines(acked).Length > 300, "the writer acknowledging 300 records");

        await v.Lab.KillAsync("astapor");
        var lastAcked = File.ReadAllLines(acked).Where(l => l.Length > 0).Select(int.Parse).Max();
        // The node's loop device is host-wide; it must go with the node (auto-clear), with nothing left mounted on it.
        await Until(() => v.LeftoverLoops().Count == 0, "astapor's loop device detaching with the node");

        var survivor = await v.WaitAsync("braavos", s => s.Connection != ConnectionState.Connected, "braavos noticing the loss of its Primary");
        Assert.Equal(DiskState.UpToDate, survivor.Disk);
        await v.PromoteAsync("braavos");
        // Mounting replays the journal, as after any crash; then the file system must check clean.
        await v.MountAsync("braavos");
        await v.UnmountAsync("braavos");
        await v.ShAsync("braavos", $"e2fsck -fn {v.Device}");
        await v.MountAsync("braavos");
        var present = (await v.ShAsync("braavos", $"cat {Mnt}/records")).Split('\n')
            .Where(l => l.StartsWith("record-", StringComparison.Ordinal)).Select(l => int.Parse(l[7..])).ToHashSet();
        var missing = Enumerable.Range(1, lastAcked).Where(i => !present.Contains(i)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} fsync'ed record(s) lost of {lastAcked}, first {missing.FirstOrDefault()}");
    }

    [Fact]
    public async Task A_cut_link_resyncs_only_the_10MiB_written_meanwhile_and_reports_it()
    {
        const long size = 256L << 20;
        await using var v = await VolumeLab.UpAsync("256M");
        await v.Lab.CutAsync("braavos");
        await v.WaitAsync("astapor", s => s.Connection == ConnectionState.Connecting, "astapor losing its peer");
        await v.ShAsync("astapor", $"dd if=/dev/urandom of={v.Device} bs=1M count=10 seek=100 oflag=direct conv=fsync status=none");
        var apart = await v.StatusAsync("astapor");
        Assert.Equal(10L << 20, apart.OutOfSyncBytes);

        await v.Lab.HealAsync("braavos");
        var synced = await v.WaitAsync("astapor", s => s.Connection == ConnectionState.Connected && s.PeerDisk == DiskState.UpToDate && s.OutOfSyncBytes == 0, "the resync after the heal");
        Assert.Equal(10L << 20, synced.LastResyncBytes);
        Assert.Equal(10L << 20, (await v.StatusAsync("braavos")).LastResyncBytes);
        Assert.Contains("last resync: 10 MiB", (await v.TandemAsync("astapor", "volume", "status", v.Volume)).StandardOutput, StringComparison.Ordinal);
        Assert.Equal(await v.DataChecksumAsync("astapor", size), await v.DataChecksumAsync("braavos", size));
    }

    [Fact]
    public async Task A_split_brain_from_a_partition_is_detected_and_resolved_with_one_command_on_the_victim()
    {
        await using var v = await VolumeLab.UpAsync("128M");
        await v.ShAsync("astapor", $"mkfs.ext4 -q -F {v.Device}");
        await v.MountAsync("astapor");
        await v.Lab.CutAsync("braavos");
        await v.WaitAsync("braavos", s => s.Connection == ConnectionState.Connecting, "braavos losing its peer");
        // Both sides of the partition write: the operator (or a cluster without fencing) promoted braavos too.
        await v.PromoteAsync("braavos");
        await v.ShAsync("astapor", $"echo from-astapor > {Mnt}/who && sync");
        await v.MountAsync("braavos");
        await v.ShAsync("braavos", $"echo from-braavos > {Mnt}/who && sync");
        await v.UnmountAsync("braavos");
        await v.TandemAsync("braavos", "volume", "secondary", v.Volume);

        await v.Lab.HealAsync("braavos");
        var detected = await v.WaitAsync("astapor", s => s.Problem?.StartsWith("split brain", StringComparison.Ordinal) == true, "astapor detecting the split brain");
        Assert.Equal(ConnectionState.StandAlone, detected.Connection);
        await v.WaitAsync("braavos", s => s.Connection == ConnectionState.StandAlone, "braavos standing alone");

        await v.TandemAsync("braavos", "volume", "connect", "--discard-my-data", v.Volume);
        var resolved = await v.WaitAsync("astapor", s => s.Connection == ConnectionState.Connected && s.PeerDisk == DiskState.UpToDate, "the victim resynced from astapor");
        Assert.Null(resolved.Problem);
        Assert.True(resolved.LastResyncBytes < 16L << 20, $"bitmap resync after the split brain, not a full one ({resolved.LastResyncBytes} bytes)");
        await v.UnmountAsync("astapor");
        await v.TandemAsync("astapor", "volume", "secondary", v.Volume);
        await v.PromoteAsync("braavos");
        await v.MountAsync("braavos");
        Assert.Equal("from-astapor", (await v.ShAsync("braavos", $"cat {Mnt}/who")).Trim());
    }

    [Fact]
    public async Task A_peer_with_a_wrong_secret_or_sending_garbage_is_refused_and_the_primary_keeps_serving()
    {
        await using var v = await VolumeLab.UpAsync("64M");
        // braavos comes back with a definition whose secret differs (written only there).
        await v.TandemAsync("braavos", "volume", "down", v.Volume);
        await v.TandemAsync("braavos", "volume", "create", v.Volume, "--size", "64M", "--local", "--force",
            "--node", $"astapor={LabLayout.NodeAddress(1)},braavos={LabLayout.NodeAddress(2)}");
        await v.TandemAsync("braavos", "volume", "up", v.Volume);
        var astaporLog = Path.Combine(v.Lab.MachineDir("astapor"), "log", "volumes.log");
        var braavosLog = Path.Combine(v.Lab.MachineDir("braavos"), "log", "volumes.log");
        await Until(() => File.ReadAllText(astaporLog).Contains("authentication failed", StringComparison.Ordinal), "astapor refusing the wrong secret");

        // A stranger on the lab's network sends garbage to braavos's volume port (braavos is the side that listens).
        var client = new LabLayout(v.Lab.Name).ClientNamespace;
        for (var i = 0; i < 3; i++)
        {
            await HostCommand.RunAsync("ip", ["netns", "exec", client, "bash", "-c", $"head -c 300 /dev/urandom > /dev/tcp/{LabLayout.NodeAddress(2)}/{Tandem.Cli.Commands.VolumeCreateCommand.DefaultPort}"], TimeSpan.FromSeconds(10));
        }
        await Until(() => File.ReadAllText(braavosLog).Contains("dropped during handshake", StringComparison.Ordinal), "braavos dropping the garbage");

        var astapor = await v.StatusAsync("astapor");
        Assert.Equal((Role.Primary, ConnectionState.Connecting), (astapor.Role, astapor.Connection));
        Assert.Equal(ConnectionState.Connecting, (await v.StatusAsync("braavos")).Connection);
        await v.ShAsync("astapor", $"dd if=/dev/urandom of={v.Device} bs=1M count=8 oflag=direct conv=fsync status=none");
        Assert.Equal(8L << 20, (await v.StatusAsync("astapor")).OutOfSyncBytes);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TestLab.SettleTimeout, $"{what} did not happen within {TestLab.SettleTimeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
