using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Status;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Coordination;

/// <summary>
/// `tandem resource cleanup` over the bus: the failure a monitor left behind is forgotten on every member,
/// and the coordinator probes the resource again on that node.
/// </summary>
public class CleanupSimulationTests
{
    private const string Configuration = """
        property stonith-enabled=false
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive vip ocf:heartbeat:Dummy op monitor interval=10s
        """;

    private static string Name(uint node) => node == 1 ? "astapor" : "braavos";

    /// <summary>vip failed its monitor on one node and moved to the other.</summary>
    private static (SimulatedCluster Cluster, uint Failed, uint Survivor) AfterAFailure()
    {
        var cluster = SimulatedCluster.Of(41, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        var store = cluster.Core(1).Config;
        cluster.Send(1, new ConfigChange("load", store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(Configuration)), "test"));
        cluster.Settle();
        var failed = cluster.Agents.Where("vip").Single();
        cluster.Agents.Kill(failed, "vip");
        cluster.Advance(TimeSpan.FromSeconds(10));
        return (cluster, failed, cluster.Agents.Where("vip").Single());
    }

    private static CleanupPlan Plan(SimulatedCluster cluster, uint via, string? resource, string? node)
    {
        var core = cluster.Core(via);
        return FailureCleanup.Plan(core.Config.Configuration, core.Status.Nodes, core.KnownNodes.Values, resource, node);
    }

    [Fact]
    public void A_cleanup_forgets_the_failure_everywhere_and_the_resource_is_probed_again()
    {
        var (cluster, failed, survivor) = AfterAFailure();
        Assert.NotEqual(failed, survivor);
        var before = cluster.Core(survivor).Status.Node(Name(failed));
        Assert.Equal("1", before.Attributes["fail-count-vip#monitor_10000"]);
        Assert.Contains("vip_last_failure_0", before.Resources["vip"].History.Keys);

        var plan = Plan(cluster, survivor, "vip", null);
        Assert.Equal([new CleanedResource("vip", Name(failed))], plan.Cleaned);
        foreach (var update in plan.Updates)
        {
            cluster.Send(survivor, update);
        }
        cluster.Settle();

        foreach (var member in new uint[] { 1, 2 })
        {
            var after = cluster.Core(member).Status.Node(Name(failed));
            Assert.DoesNotContain(after.Attributes.Keys, a => a.StartsWith("fail-count-", StringComparison.Ordinal) || a.StartsWith("last-failure-", StringComparison.Ordinal));
            // Re-probed: the history holds the probe's answer (not running there), no failure.
            var history = after.Resources["vip"].History;
            Assert.Equal(["vip_last_0"], history.Keys);
            Assert.Equal(("monitor", 7), (history["vip_last_0"].Operation, history["vip_last_0"].RcCode));
        }
        // Stickiness keeps vip where it runs; the failed node is eligible again.
        Assert.Equal([survivor], cluster.Agents.Where("vip"));
    }

    [Fact]
    public void Cleaning_a_resource_on_a_node_where_it_did_not_fail_changes_nothing()
    {
        var (cluster, _, survivor) = AfterAFailure();
        var plan = Plan(cluster, survivor, "vip", Name(survivor));
        Assert.Null(plan.Error);
        Assert.Empty(plan.Updates);
    }
}
