using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Fencing;

/// <summary>
/// Three daemons over the in-memory bus: the node that runs the VIP is cut off from the other two. With a
/// fence device, the majority fences it before recovering the VIP; with watchdog self-fencing and no
/// device, the majority waits out stonith-watchdog-timeout while the cut-off node stops (or fences) itself.
/// </summary>
public class FencingSimulationTests
{
    private static readonly string[] Names = ["astapor", "braavos", "qarth"];

    private const string Resources = """
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive vip ocf:heartbeat:IPaddr2 params ip=192.168.122.100 op monitor interval=10s

        """;

    private const string Device = """
        primitive power stonith:fence_tandemlab params pcmk_host_list="astapor braavos qarth" op monitor interval=60s

        """;

    private static SimulatedCluster Running(string configuration)
    {
        var cluster = SimulatedCluster.Of(7, twoNode: false, Names);
        cluster.BootAll();
        cluster.Settle();
        var store = cluster.Core(1).Config;
        cluster.Send(1, new ConfigChange(Guid.NewGuid().ToString("N"), store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(configuration)), "test"));
        cluster.Settle();
        return cluster;
    }

    private static string Name(uint node) => Names[node - 1];

    /// <summary>Cuts the VIP's node off from the other two; returns it and the majority.</summary>
    private static (uint Lost, uint[] Majority) CutVipNode(SimulatedCluster cluster)
    {
        var lost = cluster.Agents.Where("vip").Single();
        var majority = new uint[] { 1, 2, 3 }.Where(n => n != lost).ToArray();
        cluster.Network.Partition(majority, [lost]);
        cluster.Settle();
        return (lost, majority);
    }

    [Fact]
    public void A_cut_off_node_is_fenced_before_its_vip_is_started_elsewhere()
    {
        // no-quorum-policy=ignore: the cut-off node keeps the VIP, so only fencing protects the majority's start.
        var cluster = Running("property no-quorum-policy=ignore\n" + Resources + Device);
        var startsBeforeFence = new List<uint>();
        var lost = cluster.Agents.Where("vip").Single();
        cluster.PowerSwitch = request =>
        {
            // At the moment the device acts, no majority node may have started the VIP yet.
            startsBeforeFence.AddRange(cluster.Agents.Where("vip").Where(n => n != lost));
            Assert.Equal(Name(lost), request.Target);
            Assert.NotEqual(Name(lost), request.Executor);
            return true;
        };
        var (_, majority) = CutVipNode(cluster);

        Assert.Empty(startsBeforeFence);
        Assert.Single(cluster.FenceLog);
        var now = cluster.Agents.Where("vip").Single();
        Assert.Contains(now, majority);
        // Every member recorded it: the fenced node's history and attributes are gone, it is held down.
        foreach (var node in majority)
        {
            Assert.Contains(Name(lost), cluster.Core(node).Status.Fenced);
            Assert.Empty(cluster.Core(node).Status.Node(Name(lost)).Resources);
            // And shows it in its fencing history, as crm_mon does.
            var fencing = Assert.Single(cluster.Core(node).FencingHistory.Entries);
            Assert.True(fencing.Succeeded);
            Assert.Equal(Name(lost), fencing.Target);
            Assert.StartsWith($"{fencing.Action} of {Name(lost)} successful: delegate={fencing.Executor}", fencing.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_failing_device_is_retried_and_the_vip_is_not_recovered_until_fencing_succeeds()
    {
        var cluster = Running(Resources + Device);
        var attempts = 0;
        cluster.PowerSwitch = _ => ++attempts >= 3;
        var (lost, majority) = CutVipNode(cluster);

        // The device failed once; the cut-off node stopped the VIP (no quorum), and nobody else started it.
        Assert.Equal(1, attempts);
        Assert.Empty(cluster.Agents.Where("vip"));
        Assert.Contains(lost, cluster.Running);
        cluster.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, attempts);
        Assert.Empty(cluster.Agents.Where("vip"));
        // The back-off doubles: nothing before 2 s after the second failure.
        cluster.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, attempts);
        cluster.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(3, attempts);
        Assert.Contains(cluster.Agents.Where("vip").Single(), majority);
        // Newest first: the success, then the two failures.
        Assert.Equal([true, false, false], cluster.Core(majority[0]).FencingHistory.Entries.Select(e => e.Succeeded));
        Assert.Contains(" failed: delegate=", cluster.Core(majority[0]).FencingHistory.Entries[^1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_device_the_majority_waits_out_the_watchdog_timeout_while_the_lost_node_stops_its_vip()
    {
        var cluster = Running("property stonith-watchdog-timeout=10\n" + Resources);
        var (lost, majority) = CutVipNode(cluster);

        // no-quorum-policy=stop: the cut-off node stopped the VIP itself; the majority has not started it.
        Assert.Empty(cluster.Agents.Where("vip"));
        cluster.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(cluster.Agents.Where("vip"));
        cluster.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains(cluster.Agents.Where("vip").Single(), majority);
        // It stopped in time: it did not need to fence itself.
        Assert.DoesNotContain(cluster.FenceLog, e => e.What.Contains("fences itself", StringComparison.Ordinal));
        Assert.Contains(lost, cluster.Running);
    }

    [Fact]
    public void A_node_without_quorum_that_cannot_stop_its_vip_fences_itself_before_the_majority_recovers_it()
    {
        var cluster = Running("property stonith-watchdog-timeout=10\n" + Resources);
        var lost = cluster.Agents.Where("vip").Single();
        cluster.Agents.HangNext(lost, "vip", "stop");
        var (_, majority) = CutVipNode(cluster);

        Assert.Equal([lost], cluster.Agents.Where("vip"));
        cluster.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal([lost], cluster.Agents.Where("vip"));
        // Half the timeout: it fences itself, so the VIP is gone before the majority concludes it fenced.
        cluster.Advance(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(lost, cluster.Running);
        Assert.Empty(cluster.Agents.Where("vip"));
        cluster.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains(cluster.Agents.Where("vip").Single(), majority);
    }

    [Fact]
    public void Without_a_device_or_watchdog_a_lost_node_s_vip_is_never_recovered()
    {
        var cluster = Running("property stonith-watchdog-timeout=0\nproperty no-quorum-policy=ignore\n" + Resources + """
            primitive other-fence stonith:fence_tandemlab params pcmk_host_list="nowhere"
            """);
        var (lost, _) = CutVipNode(cluster);
        cluster.Advance(TimeSpan.FromSeconds(30));
        cluster.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([lost], cluster.Agents.Where("vip"));
        Assert.Empty(cluster.FenceLog);
    }
}
