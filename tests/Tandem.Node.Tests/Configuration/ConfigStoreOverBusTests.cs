using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Json;
using Tandem.Node.Configuration;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Configuration;

/// <summary>The replicated configuration over the in-memory bus: order, catch-up and the merge rule.</summary>
public class ConfigStoreOverBusTests
{
    private static ClusterConfiguration WithProperty(ClusterConfiguration configuration, string name, string value)
    {
        var set = configuration.Properties.IsEmpty ? new AttributeSet("cib-bootstrap-options", ValueList<NvPair>.Empty) : configuration.Properties[0];
        var pairs = set.Pairs.Where(p => p.Name != name).Append(new NvPair($"cib-bootstrap-options-{name}", name, value));
        return configuration with { Properties = [set with { Pairs = pairs.ToValueList() }] };
    }

    /// <summary>Proposes a property change on a node's current configuration and returns the outcome it sees.</summary>
    private static ConfigChangeOutcome Propose(SimulatedCluster cluster, uint nodeId, string name, string value)
    {
        var store = cluster.Core(nodeId).Config;
        ConfigChangeOutcome? seen = null;
        var requestId = Guid.NewGuid().ToString("N");
        void Capture(ConfigChangeOutcome outcome)
        {
            if (outcome.RequestId == requestId)
            {
                seen = outcome;
            }
        }
        store.ChangeCompleted += Capture;
        cluster.Send(nodeId, new ConfigChange(requestId, store.Stamp.Version, ConfigJson.Serialize(WithProperty(store.Configuration, name, value)), $"set {name}"));
        cluster.Settle();
        store.ChangeCompleted -= Capture;
        return seen ?? throw new InvalidOperationException("the change never came back");
    }

    private static string? Property(SimulatedCluster cluster, uint nodeId, string name) =>
        PropertyOf(cluster.Core(nodeId).Config.Configuration, name);

    private static string? PropertyOf(ClusterConfiguration? configuration, string name) =>
        configuration is { Properties.IsEmpty: false } c ? c.Properties[0][name] : null;

    [Fact]
    public void A_change_made_on_one_node_is_applied_on_every_node_and_stored()
    {
        var cluster = SimulatedCluster.Of(seed: 10, twoNode: false, "astapor", "braavos", "meereen");
        cluster.BootAll();
        cluster.Settle();
        var outcome = Propose(cluster, 2, "stonith-enabled", "false");
        Assert.True(outcome.Applied, outcome.Error);
        Assert.Equal(1, outcome.Version.Epoch);
        foreach (var node in new uint[] { 1, 2, 3 })
        {
            Assert.Equal("false", Property(cluster, node, "stonith-enabled"));
            Assert.Equal(outcome.Version, cluster.Disk(node).Document?.Version);
        }
        Assert.Single(cluster.Running.Select(n => cluster.Core(n).Config.Stamp).Distinct());
    }

    [Fact]
    public void Concurrent_changes_on_the_same_version_apply_once_and_refuse_the_other_everywhere()
    {
        var cluster = SimulatedCluster.Of(seed: 11, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        var baseVersion = cluster.Core(1).Config.Stamp.Version;
        var outcomes = new List<ConfigChangeOutcome>();
        cluster.Core(1).Config.ChangeCompleted += outcomes.Add;
        cluster.Send(1, new ConfigChange("a", baseVersion, ConfigJson.Serialize(WithProperty(ClusterConfiguration.Empty, "x", "1")), "x=1"));
        cluster.Send(2, new ConfigChange("b", baseVersion, ConfigJson.Serialize(WithProperty(ClusterConfiguration.Empty, "x", "2")), "x=2"));
        cluster.Settle();
        Assert.Equal(2, outcomes.Count);
        Assert.True(outcomes[0].Applied);
        Assert.False(outcomes[1].Applied);
        Assert.Contains("changed meanwhile", outcomes[1].Error, StringComparison.Ordinal);
        Assert.Equal(cluster.Core(1).Config.Stamp, cluster.Core(2).Config.Stamp);
    }

    [Fact]
    public void A_node_that_was_down_gets_the_changes_when_it_rejoins()
    {
        var cluster = SimulatedCluster.Of(seed: 12, twoNode: false, "astapor", "braavos", "meereen");
        cluster.BootAll();
        cluster.Settle();
        Propose(cluster, 1, "a", "1");
        cluster.Crash(3);
        cluster.Settle();
        Propose(cluster, 1, "b", "2");
        Propose(cluster, 2, "c", "3");
        Assert.Null(PropertyOf(cluster.Disk(3).Document?.Configuration, "b"));

        cluster.Boot(3);
        cluster.Settle();
        Assert.Equal(cluster.Core(1).Config.Stamp, cluster.Core(3).Config.Stamp);
        Assert.Equal("3", Property(cluster, 3, "c"));
        Assert.Equal(cluster.Core(1).Config.Stamp.Version, cluster.Disk(3).Document?.Version);
        Assert.NotNull(cluster.Core(3).Config.LastMerge);
    }

    [Fact]
    public void After_a_split_where_both_sides_changed_the_newest_version_wins_and_the_merge_is_reported()
    {
        var cluster = SimulatedCluster.Of(seed: 13, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Propose(cluster, 1, "side", "astapor");
        Propose(cluster, 2, "side", "braavos-1");
        Propose(cluster, 2, "other", "braavos-2");

        cluster.Network.Heal();
        cluster.Settle();
        // braavos made more changes: its epoch is higher, so its configuration wins (Pacemaker's rule).
        Assert.Equal("braavos-1", Property(cluster, 1, "side"));
        Assert.Equal(cluster.Core(1).Config.Stamp, cluster.Core(2).Config.Stamp);
        var merge = cluster.Core(1).Config.LastMerge;
        Assert.NotNull(merge);
        Assert.Equal("braavos", merge.Winner);
        Assert.Equal(["astapor"], merge.Replaced);
        // The winner reports it too: changes made on the other side were discarded.
        Assert.Equal(merge.ToString(), cluster.Core(2).Config.LastMerge?.ToString());
        Assert.False(cluster.Core(1).Config.Synchronising);
    }

    [Fact]
    public void Equal_versions_with_different_content_converge_on_one_of_them()
    {
        var cluster = SimulatedCluster.Of(seed: 14, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Propose(cluster, 1, "side", "astapor");
        Propose(cluster, 2, "side", "braavos");
        cluster.Network.Heal();
        cluster.Settle();
        Assert.Equal(cluster.Core(1).Config.Stamp, cluster.Core(2).Config.Stamp);
        Assert.Equal("astapor", Property(cluster, 2, "side"));
    }

    [Fact]
    public void Changes_are_refused_alike_while_a_merge_is_being_synchronised()
    {
        var cluster = SimulatedCluster.Of(seed: 15, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Propose(cluster, 2, "side", "braavos");
        cluster.Network.Heal();
        // Proposed on astapor's own version before the merge round has run: astapor alone would accept it
        // (its version matches), braavos would not. Every member must decide alike: refused, while synchronising.
        var outcomes = new Dictionary<uint, ConfigChangeOutcome>();
        cluster.Core(1).Config.ChangeCompleted += o => outcomes[1] = o;
        cluster.Core(2).Config.ChangeCompleted += o => outcomes[2] = o;
        var astaporVersion = cluster.Core(1).Config.Stamp.Version;
        cluster.Send(1, new ConfigChange("late", astaporVersion, ConfigJson.Serialize(WithProperty(ClusterConfiguration.Empty, "late", "1")), "late"));
        cluster.Settle();
        Assert.Equal(cluster.Core(1).Config.Stamp, cluster.Core(2).Config.Stamp);
        Assert.False(outcomes[1].Applied);
        Assert.False(outcomes[2].Applied);
        Assert.Contains("synchronising", outcomes[1].Error, StringComparison.Ordinal);
    }
}
