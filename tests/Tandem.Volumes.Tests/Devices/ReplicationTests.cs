using System.Net.Sockets;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Tests.Devices;

/// <summary>
/// Two real volume services on this host: initial sync, file system, switchover, disconnected writes,
/// split brain, a wrong secret, garbage on the wire, and a Primary killed in the middle of fsync'ed writes.
/// </summary>
[Collection("Devices")]
public sealed class ReplicationTests
{
    [Fact]
    public void Initial_sync_then_mkfs_write_and_switch_primary_keeps_every_byte()
    {
        using var pair = new VolumePair();
        pair.UpAndSync();
        var a = pair.Status("a");
        Assert.Equal("cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C", a.Line);
        Assert.Equal(256L << 20, a.LastResyncBytes);
        pair.Sh($"mkfs.ext4 -q -F {pair.Device("a")}");
        var mnt = pair.Mount("a");
        pair.Sh($"dd if=/dev/urandom of={mnt}/data bs=1M count=40 conv=fsync status=none && mkdir {mnt}/dir && seq 1 20000 > {mnt}/dir/numbers && sync");
        var before = pair.Sh($"cd {mnt} && md5sum data dir/numbers").Out;
        pair.Unmount("a");
        // Thousands of requests went through the data plane; a per-request allocation would show as far more
        // than the few one-off allocations (lazily created lock events) that warm-up does not catch.
        Assert.InRange(pair.Status("a").DataPlaneAllocatedBytes, 0, 16 << 10);
        pair.Cli("a", "volume", "secondary", VolumePair.Volume);
        Assert.False(File.Exists(pair.Device("a")));
        pair.Cli("b", "volume", "primary", VolumePair.Volume);
        Assert.Equal("Primary/Secondary", pair.Cli("b", "volume", "role", VolumePair.Volume).Out.Trim());
        pair.Sh($"e2fsck -fn {pair.Device("b")}");
        var mntB = pair.Mount("b");
        Assert.Equal(before, pair.Sh($"cd {mntB} && md5sum data dir/numbers").Out);
    }

    [Fact]
    public void A_secondary_is_never_promoted_while_the_peer_is_primary_and_stale_data_needs_force()
    {
        using var pair = new VolumePair(size: "64M");
        foreach (var n in new[] { "a", "b" })
        {
            pair.Cli(n, "volume", "create-md", VolumePair.Volume);
            pair.Serve(n);
            pair.Cli(n, "volume", "up", VolumePair.Volume);
        }
        VolumePair.Until(() => pair.Status("a").Connection == ConnectionState.Connected, "a and b connect");
        var refused = pair.Try("a", "volume", "primary", VolumePair.Volume);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("disk is Inconsistent: refusing to promote stale data", refused.Err);
        pair.Cli("a", "volume", "primary", "--force", VolumePair.Volume);
        pair.Cli("a", "volume", "wait-sync", VolumePair.Volume, "--timeout", "60");
        var second = pair.Try("b", "volume", "primary", "--force", VolumePair.Volume);
        Assert.NotEqual(0, second.Exit);
        Assert.Contains("only one Primary", second.Err);
    }

    [Fact]
    public void Disconnected_writes_are_resynced_by_bitmap_only()
    {
        using var pair = new VolumePair();
        pair.UpAndSync();
        pair.Sh($"mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 {pair.Device("a")}");
        var mnt = pair.Mount("a");
        pair.Sh("sync");
        pair.Cli("a", "volume", "disconnect", VolumePair.Volume);
        Assert.Equal(DiskState.Outdated, pair.Status("b").Disk);
        pair.Sh($"dd if=/dev/urandom of={mnt}/ten bs=1M count=10 conv=fsync status=none && sync");
        var outOfSync = pair.Status("a").OutOfSyncBytes;
        Assert.InRange(outOfSync, 10L << 20, 12L << 20);
        pair.Cli("a", "volume", "connect", VolumePair.Volume);
        pair.Cli("a", "volume", "wait-sync", VolumePair.Volume, "--timeout", "60");
        var resynced = pair.Status("a").LastResyncBytes;
        Assert.InRange(resynced, 10L << 20, 12L << 20);
        Assert.Equal(resynced, pair.Status("b").LastResyncBytes);
        var sum = pair.Sh($"md5sum {mnt}/ten").Out.Split(' ')[0];
        pair.Unmount("a");
        pair.Cli("a", "volume", "secondary", VolumePair.Volume);
        pair.Cli("b", "volume", "primary", VolumePair.Volume);
        var mntB = pair.Mount("b");
        Assert.Equal(sum, pair.Sh($"md5sum {mntB}/ten").Out.Split(' ')[0]);
    }

    [Fact]
    public void Split_brain_is_detected_and_resolved_by_discarding_the_victim()
    {
        using var pair = new VolumePair(size: "128M");
        pair.UpAndSync();
        pair.Sh($"mkfs.ext4 -q -F {pair.Device("a")}");
        pair.Cli("a", "volume", "disconnect", VolumePair.Volume);
        pair.Cli("b", "volume", "disconnect", VolumePair.Volume);
        // Both write while apart: b promoted by force although it is Outdated.
        pair.Cli("b", "volume", "primary", "--force", VolumePair.Volume);
        var mntA = pair.Mount("a");
        pair.Sh($"echo from-a > {mntA}/who && sync");
        var mntB = pair.Mount("b");
        pair.Sh($"echo from-b > {mntB}/who && sync");
        pair.Unmount("b");
        pair.Cli("b", "volume", "secondary", VolumePair.Volume);
        pair.Cli("a", "volume", "connect", VolumePair.Volume);
        pair.Cli("b", "volume", "connect", VolumePair.Volume);
        VolumePair.Until(() => pair.Status("a").Problem?.StartsWith("split brain", StringComparison.Ordinal) == true, "a detects the split brain", 30);
        var a = pair.Status("a");
        Assert.Equal(ConnectionState.StandAlone, a.Connection);
        VolumePair.Until(() => pair.Status("b").Connection == ConnectionState.StandAlone, "b is StandAlone too", 10);
        // One command on the victim: it connects discarding its data; the survivor, StandAlone on a split
        // brain, still meets its peer and takes it.
        pair.Cli("b", "volume", "connect", "--discard-my-data", VolumePair.Volume);
        VolumePair.Until(() => pair.Status("a").Connection is ConnectionState.SyncSource or ConnectionState.Connected, "a takes the victim back", 30);
        pair.Cli("a", "volume", "wait-sync", VolumePair.Volume, "--timeout", "60");
        Assert.Null(pair.Status("a").Problem);
        Assert.True(pair.Status("a").LastResyncBytes < 16L << 20, "bitmap resync after split brain, not a full one");
        pair.Unmount("a");
        pair.Cli("a", "volume", "secondary", VolumePair.Volume);
        pair.Cli("b", "volume", "primary", VolumePair.Volume);
        mntB = pair.Mount("b");
        Assert.Equal("from-a", File.ReadAllText(Path.Combine(mntB, "who")).Trim());
    }

    [Fact]
    public void A_peer_with_a_wrong_secret_or_garbage_is_refused_and_the_volume_keeps_serving()
    {
        using var pair = new VolumePair(size: "64M", secretOfB: "not-the-right-secret-000");
        foreach (var n in new[] { "a", "b" })
        {
            pair.Cli(n, "volume", "create-md", VolumePair.Volume);
            pair.Serve(n);
            pair.Cli(n, "volume", "up", VolumePair.Volume);
        }
        pair.Cli("a", "volume", "primary", "--force", VolumePair.Volume);
        VolumePair.Until(() => pair.ServeLog("a").Contains("authentication failed", StringComparison.Ordinal), "a logs the failed authentication", 20);
        // Garbage at b's port (b accepts, a dials): dropped, logged, b keeps going.
        for (var i = 0; i < 3; i++)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect("127.0.0.1", pair.Ports[1]);
            s.Send(System.Text.Encoding.ASCII.GetBytes(new string('x', 200)));
            Thread.Sleep(300);
        }
        VolumePair.Until(() => pair.ServeLog("b").Contains("bad frame magic", StringComparison.Ordinal), "b logs the garbage", 20);
        Assert.Equal(ConnectionState.Connecting, pair.Status("a").Connection);
        Assert.Equal(ConnectionState.Connecting, pair.Status("b").Connection);
        // The Primary still serves I/O, marking what the peer will need.
        pair.Sh($"dd if=/dev/urandom of={pair.Device("a")} bs=1M count=8 oflag=direct conv=fsync status=none");
        Assert.Equal(("Primary", 64L << 20), (pair.Status("a").Role.ToString(), pair.Status("a").OutOfSyncBytes));
    }

    [Fact]
    public void Killing_the_primary_mid_fsync_loses_no_fsynced_record()
    {
        using var pair = new VolumePair();
        pair.UpAndSync();
        pair.Sh($"mkfs.ext4 -q -F {pair.Device("a")}");
        var mnt = pair.Mount("a");
        // A writer appends numbered records, fsyncs each, and logs it only after the fsync returned.
        var log = Path.Combine(pair.Root, "acked.log");
        pair.Sh($"(i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo record-$i >> {mnt}/records && sync {mnt}/records && echo $i >> {log} || exit 0; done) >/dev/null 2>&1 &");
        VolumePair.Until(() => File.Exists(log) && File.ReadAllLines(log).Length > 200, "the writer acknowledged 200 records", 60);
        pair.Kill("a");
        Thread.Sleep(500);
        var acked = File.ReadAllLines(log).Where(l => l.Length > 0).Select(int.Parse).Max();
        VolumePair.Until(() => pair.Status("b").Connection == ConnectionState.Connecting, "b notices the loss", 15);
        Assert.Equal(DiskState.UpToDate, pair.Status("b").Disk);
        pair.Cli("b", "volume", "primary", VolumePair.Volume);
        // Mounting replays the journal (as after any crash); then the file system must check clean.
        pair.Mount("b");
        pair.Unmount("b");
        pair.Sh($"e2fsck -fn {pair.Device("b")}");
        var mntB = pair.Mount("b");
        var records = File.ReadAllLines(Path.Combine(mntB, "records")).Where(l => l.StartsWith("record-", StringComparison.Ordinal)).Select(l => int.Parse(l[7..])).ToHashSet();
        for (var i = 1; i <= acked; i++)
        {
            Assert.Contains(i, records);
        }
    }
}
