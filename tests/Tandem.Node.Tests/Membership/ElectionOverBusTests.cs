using FsCheck;
using FsCheck.Fluent;
using Tandem.Bus;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Membership;

/// <summary>Coordinator election by the daemon cores over the in-memory bus (corosync's guarantees).</summary>
public class ElectionOverBusTests
{
    [Fact]
    public void Three_nodes_elect_the_lowest_and_keep_it_until_it_leaves()
    {
        var cluster = SimulatedCluster.Of(seed: 1, twoNode: false, "astapor", "braavos", "meereen");
        cluster.Boot(2);
        cluster.Boot(3);
        cluster.Settle();
        Assert.All(cluster.Coordinators().Values, c => Assert.Equal(cluster.Member(2), c));

        cluster.Boot(1);
        cluster.Settle();
        Assert.All(cluster.Coordinators().Values, c => Assert.Equal(cluster.Member(2), c));

        cluster.Crash(2);
        cluster.Settle();
        Assert.All(cluster.Coordinators().Values, c => Assert.Equal(cluster.Member(1), c));
    }

    [Fact]
    public void Minority_partition_has_no_coordinator_and_merge_restores_one()
    {
        var cluster = SimulatedCluster.Of(seed: 2, twoNode: false, "astapor", "braavos", "meereen");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2, 3]);
        cluster.Settle();
        var coordinators = cluster.Coordinators();
        Assert.Null(coordinators[1]);
        Assert.False(cluster.Core(1).Membership.Current.Quorate);
        Assert.Equal(cluster.Member(2), coordinators[2]);
        Assert.Equal(cluster.Member(2), coordinators[3]);

        cluster.Network.Heal();
        cluster.Settle();
        // astapor never coordinated without quorum, so braavos, the majority's coordinator, is kept.
        Assert.All(cluster.Coordinators().Values, c => Assert.Equal(cluster.Member(2), c));
    }

    [Fact]
    public void Two_node_split_gives_each_side_its_own_coordinator_and_the_merge_keeps_the_lower()
    {
        var cluster = SimulatedCluster.Of(seed: 3, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Assert.Equal(cluster.Member(1), cluster.Coordinators()[1]);
        Assert.Equal(cluster.Member(2), cluster.Coordinators()[2]);

        cluster.Network.Heal();
        cluster.Settle();
        Assert.All(cluster.Coordinators().Values, c => Assert.Equal(cluster.Member(1), c));
    }

    [Fact]
    public void Garbage_on_the_bus_is_ignored()
    {
        var cluster = SimulatedCluster.Of(seed: 4, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        var before = cluster.Coordinators();
        Assert.Empty(cluster.Core(1).OnBusEvent(new MessageDelivered(cluster.Member(2), "{not json"u8.ToArray())).Messages);
        Assert.Empty(cluster.Core(1).OnBusEvent(new MessageDelivered(cluster.Member(2), """{"kind":"hello","protocol":99,"nodeName":"x"}"""u8.ToArray())).Messages);
        Assert.Empty(cluster.Core(1).OnBusEvent(new MessageDelivered(cluster.Member(2), """{"kind":"nonsense"}"""u8.ToArray())).Messages);
        Assert.Equal(before, cluster.Coordinators());
    }

    /// <summary>
    /// After any schedule of crashes, restarts, partitions and merges, once the bus settles every daemon of
    /// a quorate partition follows the same coordinator, which is a member of that partition; daemons of a
    /// partition without quorum follow none.
    /// </summary>
    [Fact]
    public void Every_quorate_partition_agrees_on_one_coordinator_among_its_members()
    {
        var faults = Gen.Choose(0, 3).SelectMany(kind => Gen.Choose(1, 4).Select(node => (kind, node))).ArrayOf();
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), Arb.From(faults), (seed, schedule) =>
        {
            var cluster = SimulatedCluster.Of(seed, twoNode: false, "a", "b", "c", "d");
            cluster.BootAll();
            cluster.Settle();
            foreach (var (kind, node) in schedule.Take(12))
            {
                var id = (uint)node;
                switch (kind)
                {
                    case 0 when cluster.Running.Contains(id):
                        cluster.Crash(id);
                        break;
                    case 0:
                        cluster.Boot(id);
                        break;
                    case 1:
                        cluster.Network.Partition([.. Enumerable.Range(1, node).Select(i => (uint)i)], [.. Enumerable.Range(node + 1, 4 - node).Select(i => (uint)i)]);
                        break;
                    default:
                        cluster.Network.Heal();
                        break;
                }
                cluster.Settle();
                AssertAgreement(cluster);
            }
        }).QuickCheckThrowOnFailure();
    }

    private static void AssertAgreement(SimulatedCluster cluster)
    {
        foreach (var partition in cluster.Network.Partitions)
        {
            var running = partition.Where(cluster.Running.Contains).ToList();
            var views = running.Select(id => cluster.Core(id).Membership.Current).ToList();
            var coordinators = views.Select(v => v.Coordinator).Distinct().ToList();
            Assert.True(coordinators.Count <= 1, $"partition [{string.Join(' ', partition)}] follows {string.Join(", ", coordinators)}");
            if (views.Count > 0 && views[0].Quorate)
            {
                Assert.NotNull(coordinators[0]);
                Assert.Contains(coordinators[0]!.Value.NodeId, running);
            }
            else
            {
                Assert.All(views, v => Assert.Null(v.Coordinator));
            }
        }
    }
}
