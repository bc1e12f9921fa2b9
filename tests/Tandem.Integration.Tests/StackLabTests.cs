using System.Diagnostics;
using System.Globalization;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Node.Api;
using Tandem.Volumes.Replication;

namespace Tandem.Integration.Tests;

/// <summary>
/// The seed's whole stack run by Tandem's coordinator with real agents (issue 7, acceptance 6): the volume
/// as a promotable clone of ocf:tandem:volume, ocf:heartbeat:Filesystem mounting ext4 from
/// /dev/tandem/VOLUME on /opt/zimbra with the Promoted instance after the promotion, VIP1 (IPaddr2) and
/// the service (Dummy) after it in the group zcsgroup; fencing through the lab's power switch. Standby
/// of the active node moves everything with the data written before; a hard kill of the active node
/// in the middle of fsync'ed writes is recovered on the survivor with every acknowledged record.
/// Each node logs when its /dev/tandem/VOLUME (present only while Primary) appears and disappears, so
/// the test can tell that the two nodes never had the volume Primary at the same time.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class StackLabTests
{
    private const string Mnt = SeedScenario.MountPoint;

    [Fact]
    public async Task The_seed_stack_moves_on_standby_and_recovers_from_a_hard_kill_with_its_fsynced_data_and_never_two_primaries()
    {
        await using var v = await VolumeLab.UpSeedAsync();
        var lab = v.Lab;
        foreach (var node in lab.Nodes)
        {
            await StartPrimaryWatchAsync(v, node);
        }
        await lab.LoadConfigurationAsync("astapor", SeedScenario.StackConfiguration(TandemCli.Path, v.Volume, powerFencing: true));
        var first = await WaitForStackAsync(v, lab.Nodes, null);
        var second = lab.Nodes.Single(n => n != first);
        await v.NoteLoopAsync(first);
        var data = await v.ShAsync(first, $"mountpoint -q {Mnt} && dd if=/dev/urandom of={Mnt}/before-standby bs=1M count=4 conv=fsync status=none && sha256sum {Mnt}/before-standby");

        // Standby: the group stops, the volume is demoted, then promoted on the other node, which mounts it.
        await lab.CheckTandemAsync(first, "node", "standby", first);
        Assert.Equal(second, await WaitForStackAsync(v, lab.Nodes, second));
        await v.NoteLoopAsync(second);
        Assert.Equal(data, await v.ShAsync(second, $"mountpoint -q {Mnt} && sha256sum {Mnt}/before-standby"));
        await AssertVipAnsweredByAsync(lab, second);

        // Back online: stickiness keeps the stack where it is; the returning replica resyncs as Secondary.
        await lab.CheckTandemAsync(first, "node", "online", first);
        await v.WaitAsync(second, s => s.Connection == ConnectionState.Connected && s.PeerDisk == DiskState.UpToDate, $"{first}'s replica back and up to date");
        Assert.Equal(second, await WaitForStackAsync(v, lab.Nodes, second));

        // A writer appends records and fsyncs each one; only then is its number logged, on the node's
        // /var/lib/tandem, a host directory that outlives the node.
        await v.ShAsync(second, $"setsid -f sh -c 'i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); echo record-$i >> {Mnt}/records && sync {Mnt}/records && echo $i >> /var/lib/tandem/acked.log || exit 0; done' </dev/null >/dev/null 2>&1");
        var acked = Path.Combine(lab.MachineDir(second), "var-lib-tandem", "acked.log");
        await Until(() => File.Exists(acked) && File.ReadAllLines(acked).Length > 200, "the writer acknowledging 200 records");

        await lab.KillAsync(second);
        var killedAt = Now();
        var lastAcked = File.ReadAllLines(acked).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Max();
        Assert.Equal(first, await WaitForStackAsync(v, [first], first));
        await v.NoteLoopAsync(first);
        var present = (await v.ShAsync(first, $"mountpoint -q {Mnt} && cat {Mnt}/records")).Split('\n')
            .Where(l => l.StartsWith("record-", StringComparison.Ordinal)).Select(l => int.Parse(l[7..], CultureInfo.InvariantCulture)).ToHashSet();
        var missing = Enumerable.Range(1, lastAcked).Where(i => !present.Contains(i)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} fsync'ed record(s) lost of {lastAcked}, first {missing.FirstOrDefault()}");
        Assert.Equal(data, await v.ShAsync(first, $"sha256sum {Mnt}/before-standby"));
        await AssertVipAnsweredByAsync(lab, first);
        // The survivor fenced the lost node (fence_tandemlab found it off already) before it recovered.
        Assert.Contains($"{second} was fenced (off) by power", File.ReadAllText(Path.Combine(new LabLayout(lab.Name).LogDir(first), "daemon.log")), StringComparison.Ordinal);

        AssertNeverTwoPrimaries(
            (first, await ReadWatchAsync(lab, first), Now()),
            (second, await ReadWatchAsync(lab, second), killedAt));
    }

    // Logs "<unix time> <1|0>" whenever /dev/tandem/VOLUME appears or disappears on this node.
    private static async Task StartPrimaryWatchAsync(VolumeLab v, string node)
    {
        var watch = $"last=x; while :; do if [ -e {v.Device} ]; then n=1; else n=0; fi; "
            + "if [ \"$n\" != \"$last\" ]; then echo \"$(date +%s.%N) $n\" >> /var/log/tandem/primary-watch.log; last=$n; fi; sleep 0.02; done";
        // Detached, with no pipe of ours left open (the exec returns when its output closes).
        await v.ShAsync(node, $"setsid -f sh -c '{watch}' </dev/null >/dev/null 2>&1");
    }

    private static async Task<IReadOnlyList<(double At, bool Present)>> ReadWatchAsync(TestLab lab, string node)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(new LabLayout(lab.Name).LogDir(node), "primary-watch.log"));
        return [.. lines.Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), p[1] == "1"))];
    }

    /// <summary>The intervals in which each node had the volume's device never overlap (a node's last interval ends at <c>End</c>).</summary>
    private static void AssertNeverTwoPrimaries(params (string Node, IReadOnlyList<(double At, bool Present)> Log, double End)[] nodes)
    {
        var intervals = new List<(string Node, double From, double To)>();
        foreach (var (node, log, end) in nodes)
        {
            double? from = null;
            foreach (var (at, present) in log)
            {
                if (present)
                {
                    from ??= at;
                }
                else if (from is { } f)
                {
                    intervals.Add((node, f, at));
                    from = null;
                }
            }
            if (from is { } open)
            {
                intervals.Add((node, open, end));
            }
        }
        Assert.True(intervals.Select(i => i.Node).Distinct().Count() == 2, $"expected both nodes to have been Primary: {string.Join("; ", intervals)}");
        foreach (var a in intervals)
        {
            foreach (var b in intervals.Where(b => b.Node != a.Node))
            {
                Assert.False(a.From < b.To && b.From < a.To, $"the volume was Primary on {a.Node} ({a.From:F3}..{a.To:F3}) and on {b.Node} ({b.From:F3}..{b.To:F3}) at once");
            }
        }
    }

    /// <summary>Waits until every node of <paramref name="asked"/> sees the volume Promoted and the whole group started on one node (the expected one, when given).</summary>
    private static async Task<string> WaitForStackAsync(VolumeLab v, IReadOnlyList<string> asked, string? expected)
    {
        string? where = null;
        foreach (var node in asked)
        {
            var status = await v.Lab.WaitForStatusAsync(node, s => StackNode(s) is { } n && (expected is null || n == expected),
                expected is null ? "the stack starting" : $"the stack running on {expected}");
            var seen = StackNode(status)!;
            Assert.True(where is null || where == seen, $"{node} sees the stack on {seen}, another node on {where}");
            where = seen;
        }
        var mounted = await v.ShAsync(where!, $"findmnt -n -o SOURCE {Mnt}");
        Assert.Equal((await v.StatusAsync(where!)).LoopDevice, mounted.Trim());
        return where!;
    }

    /// <summary>The node where the volume is Promoted and every member of the group runs, or null.</summary>
    private static string? StackNode(StatusResponse status)
    {
        var placements = status.Runtime?.Placements ?? [];
        var promoted = placements.Where(p => p.Id.StartsWith("zcs_volume", StringComparison.Ordinal) && p.Role == "Promoted").SelectMany(p => p.Nodes).ToList();
        if (promoted is not [var node])
        {
            return null;
        }
        return SeedScenario.StackGroup.All(id => placements.FirstOrDefault(p => p.Id == id) is { Nodes: [var n], Failed: false } && n == node) ? node : null;
    }

    private static async Task AssertVipAnsweredByAsync(TestLab lab, string owner)
    {
        var mac = (await lab.ExecAsync(owner, "cat", "/sys/class/net/eth0/address")).StandardOutput.Trim();
        var ping = await lab.ClientAsync("ping", "-c", "1", "-W", "2", SeedScenario.Vip);
        Assert.True(ping.Succeeded, $"the client cannot reach {SeedScenario.Vip}: {ping.StandardOutput}");
        var neighbour = await lab.ClientAsync("ip", "neigh", "show", SeedScenario.Vip);
        Assert.Contains($"lladdr {mac}", neighbour.StandardOutput, StringComparison.Ordinal);
    }

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static async Task Until(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(120), $"{what} did not happen within 120 s");
            await Task.Delay(100);
        }
    }
}
