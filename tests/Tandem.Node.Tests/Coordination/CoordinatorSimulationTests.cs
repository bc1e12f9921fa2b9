using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Tests.Simulation;
using Tandem.Scheduler.Output;

namespace Tandem.Node.Tests.Coordination;

/// <summary>
/// Whole clusters of daemon cores over the in-memory bus with simulated agents: the coordinator starts,
/// moves and recovers resources through the real scheduler.
/// </summary>
public class CoordinatorSimulationTests
{
    private const string Base = """
        property stonith-enabled=false
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive vip ocf:heartbeat:Dummy op monitor interval=10s
        """;

    private static SimulatedCluster Running(string configuration, int seed = 1, params string[] nodes)
    {
        var cluster = SimulatedCluster.Of(seed, twoNode: nodes.Length == 2, nodes.Length == 0 ? ["astapor", "braavos"] : nodes);
        cluster.BootAll();
        cluster.Settle();
        Load(cluster, configuration);
        return cluster;
    }

    private static void Load(SimulatedCluster cluster, string configuration)
    {
        var store = cluster.Core(cluster.Running.First()).Config;
        cluster.Send(cluster.Running.First(), new ConfigChange(Guid.NewGuid().ToString("N"), store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(configuration)), "test"));
        cluster.Settle();
    }

    [Fact]
    public void A_resource_is_started_on_exactly_one_node_and_monitored()
    {
        var cluster = Running(Base);
        var where = cluster.Agents.Where("vip");
        Assert.Single(where);
        var status = cluster.Core(where[0]).Status.Node(where[0] == 1 ? "astapor" : "braavos");
        Assert.Contains("vip_monitor_10000", status.Resources["vip"].History.Keys);
        // Settled: another look changes nothing.
        cluster.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(where, cluster.Agents.Where("vip"));
    }

    [Fact]
    public void A_monitor_failure_with_migration_threshold_one_moves_the_resource_and_counts_the_failure()
    {
        var cluster = Running(Base);
        var first = cluster.Agents.Where("vip").Single();
        cluster.Agents.Kill(first, "vip");
        cluster.Advance(TimeSpan.FromSeconds(10));
        var second = cluster.Agents.Where("vip").Single();
        Assert.NotEqual(first, second);
        var failed = cluster.Core(second).Status.Node(first == 1 ? "astapor" : "braavos");
        Assert.Equal("1", failed.Attributes["fail-count-vip#monitor_10000"]);

        // What `tandem status` shows on either node: where vip runs now, the failure and the fail count.
        foreach (var node in cluster.Running)
        {
            var runtime = RuntimeView.Build(cluster.Core(node).Snapshot());
            Assert.Equal([Name(second)], runtime.Placements.Single(p => p.Id == "vip").Nodes);
            var action = Assert.Single(runtime.FailedActions);
            Assert.StartsWith($"vip 10s-interval monitor on {Name(first)} returned 'not running'", action.Description, StringComparison.Ordinal);
            var count = Assert.Single(runtime.FailCounts);
            Assert.Equal((Name(first), "vip", 1, 1), (count.Node, count.Resource, count.FailCount, count.MigrationThreshold));
        }
    }

    private static string Name(uint nodeId) => nodeId == 1 ? "astapor" : "braavos";

    [Fact]
    public void A_crashed_node_s_resource_is_recovered_on_the_survivor()
    {
        var cluster = Running(Base);
        var first = cluster.Agents.Where("vip").Single();
        cluster.Crash(first);
        cluster.Settle();
        var survivor = first == 1 ? 2u : 1u;
        Assert.Equal([survivor], cluster.Agents.Where("vip"));
    }

    [Fact]
    public void Standby_moves_resources_away_and_stickiness_keeps_them_after_online()
    {
        var cluster = Running(Base);
        var first = cluster.Agents.Where("vip").Single();
        var name = first == 1 ? "astapor" : "braavos";
        Load(cluster, Base + $"\nnode {first}: {name} attributes standby=on\n");
        var second = cluster.Agents.Where("vip").Single();
        Assert.NotEqual(first, second);
        Load(cluster, Base + $"\nnode {first}: {name} attributes standby=off\n");
        Assert.Equal([second], cluster.Agents.Where("vip"));
    }

    [Fact]
    public void A_group_starts_in_order_on_one_node()
    {
        var cluster = Running(Base + """

            primitive fs ocf:heartbeat:Dummy op monitor interval=20s
            primitive service ocf:heartbeat:Dummy op monitor interval=30s
            group app fs service vip
            """);
        var nodes = new[] { "fs", "service", "vip" }.Select(r => cluster.Agents.Where(r).Single()).Distinct().ToList();
        Assert.Single(nodes);
    }
}
