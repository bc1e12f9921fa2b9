using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Status;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Coordination;

/// <summary>
/// Promotion scores as agents set them (crm_master -l reboot -v N reaches the cluster as a transient
/// attribute update): the score is in the scheduler's snapshot, and a changed score makes the coordinator
/// promote the instance with the highest one.
/// </summary>
public class PromotionScoreTests
{
    private const string Promotable = """
        property stonith-enabled=false
        property no-quorum-policy=ignore
        primitive db ocf:pacemaker:Stateful op monitor interval=10s role=Unpromoted op monitor interval=11s role=Promoted
        clone db-clone db meta promotable=true promoted-max=1
        """;

    private static SimulatedCluster Running()
    {
        var cluster = SimulatedCluster.Of(31, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        var store = cluster.Core(1).Config;
        cluster.Send(1, new ConfigChange("load", store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(Promotable)), "test"));
        cluster.Settle();
        return cluster;
    }

    /// <summary>What the local API sends for an agent's crm_master -l reboot -v N on a node.</summary>
    private static void SetScore(SimulatedCluster cluster, uint via, string node, string? score)
    {
        cluster.Send(via, new StatusUpdate(node, [], [new AttributeChange("master-db", score)]));
        cluster.Settle();
    }

    [Fact]
    public void Without_scores_both_instances_run_unpromoted()
    {
        var cluster = Running();
        Assert.Equal([1u, 2u], cluster.Agents.Where("db"));
        Assert.Empty(cluster.Agents.WherePromoted("db"));
    }

    [Fact]
    public void A_score_set_on_a_node_is_in_the_snapshot_and_that_instance_is_promoted()
    {
        var cluster = Running();
        SetScore(cluster, via: 2, "braavos", "100");
        var snapshot = cluster.Core(1).Snapshot();
        var braavos = snapshot.Status.Nodes.Single(n => n.Uname == "braavos");
        Assert.Contains(braavos.TransientAttributes.SelectMany(s => s.Values), a => a.Key == "master-db" && a.Value == "100");
        Assert.Equal([2u], cluster.Agents.WherePromoted("db"));
    }

    [Fact]
    public void A_higher_score_elsewhere_moves_the_promotion_and_a_rewritten_score_changes_nothing()
    {
        var cluster = Running();
        SetScore(cluster, via: 1, "astapor", "100");
        SetScore(cluster, via: 1, "braavos", "5");
        Assert.Equal([1u], cluster.Agents.WherePromoted("db"));
        var coordinator = cluster.Coordinators().Values.First()!.Value.NodeId;
        var transitions = cluster.Core(coordinator).Coordinator!.Transitions;

        // Agents repeat their score on every monitor: an unchanged value is no event for the coordinator.
        SetScore(cluster, via: 1, "astapor", "100");
        Assert.Equal(transitions, cluster.Core(coordinator).Coordinator!.Transitions);

        SetScore(cluster, via: 2, "braavos", "200");
        SetScore(cluster, via: 1, "astapor", "10");
        Assert.Equal([2u], cluster.Agents.WherePromoted("db"));
        Assert.Equal([1u, 2u], cluster.Agents.Where("db"));
    }

    [Fact]
    public void A_removed_score_demotes_the_instance()
    {
        var cluster = Running();
        SetScore(cluster, via: 1, "astapor", "100");
        Assert.Equal([1u], cluster.Agents.WherePromoted("db"));
        SetScore(cluster, via: 2, "astapor", null);
        Assert.Empty(cluster.Agents.WherePromoted("db"));
        Assert.Equal([1u, 2u], cluster.Agents.Where("db"));
    }

    [Fact]
    public void A_promotion_ends_the_unpromoted_monitor_for_good_and_the_coordinator_goes_quiet()
    {
        var cluster = Running();
        var coordinator = cluster.Coordinators().Values.First()!.Value.NodeId;
        string[] Recurring(string node) =>
            [.. cluster.Core(coordinator).Status.Node(node).Resources["db"].History.Keys.Where(k => k.StartsWith("db_monitor_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(["db_monitor_10000"], Recurring("braavos"));

        SetScore(cluster, via: 2, "braavos", "100");
        Assert.Equal([2u], cluster.Agents.WherePromoted("db"));
        // The cancelled Unpromoted monitor is forgotten, as Pacemaker's controller erases it: left in the
        // status, it told the scheduler to cancel it again after every transition, without end.
        Assert.Equal(["db_monitor_11000"], Recurring("braavos"));
        var transitions = cluster.Core(coordinator).Coordinator!.Transitions;
        cluster.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(transitions, cluster.Core(coordinator).Coordinator!.Transitions);
    }
}
