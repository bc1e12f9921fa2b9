using System.Diagnostics;
using System.Globalization;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests.Fencing;

/// <summary>
/// A two-node lab with a qdevice arbiter, the VIP (ocf:heartbeat:IPaddr2) on one node, and that node's
/// cable pulled: it loses quorum, the other keeps it. Each node logs every change of its addresses with
/// the host's clock (a loop over `ip -o addr` in the node, logging to the node's disk), so the add and
/// remove times on both nodes can be compared: the VIP must never be on both at once. Without a power
/// switch the survivor waits out stonith-watchdog-timeout; with the lab's fence device it powers the lost
/// node off first.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class SplitBrainLabTests
{
    private const string Vip = "10.77.0.100";

    // Logs "<unix time> <1|0>" whenever the VIP appears or disappears on this node.
    private const string Watch = "last=x; while :; do n=$(ip -o -4 addr show | grep -c ' " + Vip + "/'); "
        + "if [ \"$n\" != \"$last\" ]; then echo \"$(date +%s.%N) $n\" >> /var/log/tandem/vip-watch.log; last=$n; fi; sleep 0.02; done";

    private const string Resources = """
        primitive vip ocf:heartbeat:IPaddr2 params ip=10.77.0.100 cidr_netmask=24 op monitor interval=2s timeout=20s

        """;

    [Fact]
    public async Task Without_power_fencing_the_vip_is_never_on_both_nodes_and_moves_after_the_watchdog_timeout()
    {
        await using var lab = await TestLab.UpAsync(quorum: "qdevice");
        var (lost, survivor, cutAt) = await SplitAsync(lab, """
            property stonith-enabled=true
            property stonith-watchdog-timeout=10
            property no-quorum-policy=stop

            """ + Resources);

        var lostLog = await ReadWatchAsync(lab, lost);
        var survivorLog = await ReadWatchAsync(lab, survivor);
        var removed = lostLog.Last(e => !e.Present).At;
        var added = survivorLog.First(e => e.Present).At;
        Assert.True(removed < added, $"the VIP was on both nodes: removed from {lost} at {removed:F3}, added on {survivor} at {added:F3}");
        // The survivor waited out the whole timeout after the cut (its own detection of the loss comes later still).
        Assert.True(added - cutAt >= 10.0, $"the survivor started the VIP only {added - cutAt:F3} s after the cable was pulled");
        Assert.True(await lab.NodePoweredAsync(lost), $"{lost} stopped the VIP in time and had no reason to fence itself");
    }

    [Fact]
    public async Task With_the_lab_fence_device_the_lost_node_is_powered_off_before_the_survivor_starts_the_vip()
    {
        await using var lab = await TestLab.UpAsync(quorum: "qdevice");
        var (lost, survivor, _) = await SplitAsync(lab, """
            property stonith-enabled=true
            property stonith-action=off
            property no-quorum-policy=stop
            primitive power stonith:fence_tandemlab params pcmk_host_list="astapor braavos" op monitor interval=60s

            """ + Resources);

        Assert.False(await lab.NodePoweredAsync(lost), $"{lost} was not powered off");
        var poweredOff = PowerSwitchTime(lab, $"{lost} is off");
        var added = (await ReadWatchAsync(lab, survivor)).First(e => e.Present).At;
        Assert.True(poweredOff < added, $"{survivor} started the VIP at {added:F3}, before {lost} was powered off at {poweredOff:F3}");
        var lostLog = await ReadWatchAsync(lab, lost);
        Assert.True(lostLog[^1].At < added, $"{lost} still reported its addresses at {lostLog[^1].At:F3}, after {survivor} started the VIP at {added:F3}");
    }

    /// <summary>Loads the configuration, waits for the VIP, cuts its node (returning when, unix time); returns when the survivor has the VIP.</summary>
    private static async Task<(string Lost, string Survivor, double CutAt)> SplitAsync(TestLab lab, string configuration)
    {
        foreach (var node in lab.Nodes)
        {
            // Detached, with no pipe of ours left open (the exec returns when its output closes).
            var started = await lab.ExecAsync(node, "sh", "-c", "setsid -f sh -c \"$0\" </dev/null >/dev/null 2>&1", Watch);
            Assert.True(started.Succeeded, started.StandardError);
        }
        await PutConfigAsync(lab, lab.Nodes[0], configuration);
        var lost = await WaitForVipAsync(lab, lab.Nodes, "the VIP to start");
        var survivor = lab.Nodes.Single(n => n != lost);
        var cutAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await lab.CutAsync(lost);
        Assert.Equal(survivor, await WaitForVipAsync(lab, [survivor], "the VIP to move to the survivor"));
        return (lost, survivor, cutAt);
    }

    private static async Task PutConfigAsync(TestLab lab, string node, string text)
    {
        using var client = new LocalApiClient(lab.HostPath(node, LocalApiPaths.Socket), TimeSpan.FromSeconds(30));
        var current = ConfigJson.Deserialize(await client.GetAsync<System.Text.Json.JsonElement>("/v1/config", CancellationToken.None).ContinueWith(t => t.Result.GetRawText(), TaskScheduler.Default));
        await client.PutAsync<ConfigPutRequest, ConfigPutResponse>(
            "/v1/config",
            new ConfigPutRequest(current.Version, ConfigJson.Serialize(TextParser.Parse(text)), "split-brain test"),
            CancellationToken.None);
    }

    /// <summary>The one node of <paramref name="nodes"/> that has the VIP (polls `ip -o addr` in them).</summary>
    private static async Task<string> WaitForVipAsync(TestLab lab, IReadOnlyList<string> nodes, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(90))
        {
            foreach (var node in nodes)
            {
                var addresses = await lab.ExecAsync(node, "ip", "-o", "-4", "addr", "show");
                if (addresses.Succeeded && addresses.StandardOutput.Contains($" {Vip}/", StringComparison.Ordinal))
                {
                    return node;
                }
            }
            await Task.Delay(200);
        }
        Assert.Fail($"waited 90 s for {what}");
        throw new UnreachableException();
    }

    private sealed record Sample(double At, bool Present);

    /// <summary>A node's VIP log, read from the node's disk in the lab directory (there even when the node is off).</summary>
    private static async Task<IReadOnlyList<Sample>> ReadWatchAsync(TestLab lab, string node)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(new LabLayout(lab.Name).LogDir(node), "vip-watch.log"));
        return [.. lines.Select(l => l.Split(' ')).Select(p => new Sample(double.Parse(p[0], CultureInfo.InvariantCulture), p[1] != "0"))];
    }

    /// <summary>When the lab's power switch logged a line (its log has UTC timestamps), as unix time.</summary>
    private static double PowerSwitchTime(TestLab lab, string text)
    {
        var line = File.ReadAllLines(Path.Combine(LabPowerSwitch.Directory(new LabLayout(lab.Name)), "power-switch.log")).First(l => l.Contains(text, StringComparison.Ordinal));
        return DateTimeOffset.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0;
    }
}
