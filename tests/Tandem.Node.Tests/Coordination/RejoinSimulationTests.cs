using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Coordination;

/// <summary>
/// A node that was powered off comes back with a fresh daemon. Until its daemon has announced what runs
/// there, the history the others kept from before its crash is stale: planning from it would see the
/// group active on both nodes and restart it on the survivor (Pacemaker's DC waits for the join, which
/// replaces the node's history, before it schedules).
/// </summary>
public class RejoinSimulationTests
{
    private const string Configuration = """
        property stonith-enabled=false
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive vip ocf:heartbeat:Dummy op monitor interval=5s
        primitive service ocf:heartbeat:Dummy op monitor interval=10s
        group app vip service
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_crashed_node_that_rejoins_does_not_make_the_survivor_restart_the_group(int seed)
    {
        var cluster = SimulatedCluster.Of(seed, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        var store = cluster.Core(1).Config;
        cluster.Send(1, new ConfigChange(Guid.NewGuid().ToString("N"), store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(Configuration)), "test"));
        cluster.Settle();
        var first = cluster.Agents.Where("vip").Single();
        var survivor = first == 1 ? 2u : 1u;
        cluster.Crash(first);
        cluster.Settle();
        Assert.Equal([survivor], cluster.Agents.Where("vip"));
        Assert.Equal([survivor], cluster.Agents.Where("service"));

        var before = cluster.Agents.Operations.Count;
        cluster.Boot(first);
        cluster.Settle();
        cluster.Advance(TimeSpan.FromSeconds(10));

        var rejoin = cluster.Agents.Operations.Skip(before).ToList();
        Assert.DoesNotContain(rejoin, o => o.Task is "stop" or "start");
        Assert.Equal([survivor], cluster.Agents.Where("vip"));
        Assert.Equal([survivor], cluster.Agents.Where("service"));
        // The rejoined node was probed instead: its state is known, nothing runs there.
        Assert.Contains(rejoin, o => o.Node == first && o.Resource == "vip" && o.Task == "monitor");
    }
}
