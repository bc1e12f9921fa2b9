using Tandem.Model.Status;
using Tandem.Node.Status;
using Tandem.Node.Tests.Simulation;

namespace Tandem.Node.Tests.Status;

/// <summary>The replicated status over the in-memory bus: operation history, attributes, announcements.</summary>
public class StatusStoreOverBusTests
{
    private static int _callId;

    private static OperationUpdate Result(string resource, string operation, int rc, uint intervalMs = 0, int targetRc = 0) =>
        new(resource, "ocf", "heartbeat", "Dummy", new OperationRecord
        {
            Id = resource,
            Operation = operation,
            IntervalMs = intervalMs,
            CallId = Interlocked.Increment(ref _callId),
            RcCode = rc,
            OpStatus = 0,
            TransitionKey = new TransitionKey(1, 1, targetRc, "test"),
        }, rc != targetRc);

    /// <summary>What a node's executor does: record the update locally, then multicast it.</summary>
    private static void Report(SimulatedCluster cluster, uint nodeId, StatusUpdate update)
    {
        cluster.Core(nodeId).Status.RecordLocal(update);
        cluster.Send(nodeId, update);
    }

    private static string Name(uint nodeId) => nodeId == 1 ? "astapor" : "braavos";

    [Fact]
    public void Operation_results_and_attributes_reach_every_member()
    {
        var cluster = SimulatedCluster.Of(seed: 20, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        Report(cluster, 2, new StatusUpdate("braavos", [Result("vip", "start", 0), Result("vip", "monitor", 0, 10_000)], [new AttributeChange("master-drbd", "100")]));
        cluster.Settle();
        var seen = cluster.Core(1).Status.Node("braavos");
        Assert.Equal("100", seen.Attributes["master-drbd"]);
        Assert.Equal(["vip_last_0", "vip_monitor_10000"], seen.Resources["vip"].History.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(cluster.Core(2).Status.Node("braavos"), seen);
    }

    [Fact]
    public void A_notification_leaves_the_history_as_it_was_and_a_cancellation_forgets_the_operation_it_ended()
    {
        var promoted = ResourceStatus.Create("vol", "ocf", "tandem", "volume")
            .Record(Result("vol", "start", 0).Record, failed: false)
            .Record(Result("vol", "monitor", 0, 11_000).Record, failed: false)
            .Record(Result("vol", "promote", 0).Record, failed: false);
        // A post-promote notification must not become the last operation: the promote tells the role.
        var notified = promoted.Record(Result("vol", "notify", 0).Record, failed: false);
        Assert.Equal(promoted, notified);
        Assert.Equal("promote", notified.History["vol_last_0"].Operation);

        var cancel = Result("vol", "cancel", 0, 11_000).Record with { OperationKey = "vol_monitor_11000" };
        var cancelled = notified.Record(cancel, failed: false);
        Assert.Equal(["vol_last_0"], cancelled.History.Keys);
        Assert.Equal("promote", cancelled.History["vol_last_0"].Operation);
    }

    [Fact]
    public void A_failure_keeps_its_own_entry_and_a_stop_ends_recurring_entries()
    {
        var status = ResourceStatus.Create("vip", "ocf", "heartbeat", "IPaddr2")
            .Record(Result("vip", "start", 0).Record, failed: false)
            .Record(Result("vip", "monitor", 0, 10_000).Record, failed: false)
            .Record(Result("vip", "monitor", 7, 10_000).Record, failed: true);
        Assert.Equal(7, status.History["vip_last_failure_0"].RcCode);
        Assert.Equal("vip_last_failure_0", status.History["vip_last_failure_0"].Id);
        status = status.Record(Result("vip", "stop", 0).Record, failed: false);
        Assert.False(status.History.ContainsKey("vip_monitor_10000"));
        Assert.Equal("stop", status.History["vip_last_0"].Operation);
        Assert.True(status.History.ContainsKey("vip_last_failure_0"), "a failure stays until cleanup");
    }

    [Fact]
    public void A_restarted_daemon_announces_an_empty_history_so_its_resources_are_probed_again()
    {
        var cluster = SimulatedCluster.Of(seed: 21, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        Report(cluster, 2, new StatusUpdate("braavos", [Result("vip", "start", 0)], []));
        cluster.Settle();
        Assert.NotEmpty(cluster.Core(1).Status.Node("braavos").Resources);

        cluster.Crash(2);
        cluster.Settle();
        Assert.NotEmpty(cluster.Core(1).Status.Node("braavos").Resources);
        cluster.Boot(2);
        cluster.Settle();
        Assert.Empty(cluster.Core(1).Status.Node("braavos").Resources);
    }

    [Fact]
    public void A_node_leaving_loses_its_transient_attributes_but_not_its_history()
    {
        var cluster = SimulatedCluster.Of(seed: 22, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        Report(cluster, 2, new StatusUpdate("braavos", [Result("vip", "start", 0)], [new AttributeChange("master-drbd", "100")]));
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        var seen = cluster.Core(1).Status.Node("braavos");
        Assert.Empty(seen.Attributes);
        Assert.NotEmpty(seen.Resources);
    }

    [Fact]
    public void After_a_merge_every_member_holds_each_node_as_that_node_announced_it()
    {
        var cluster = SimulatedCluster.Of(seed: 23, twoNode: true, "astapor", "braavos");
        cluster.BootAll();
        cluster.Settle();
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Report(cluster, 1, new StatusUpdate("astapor", [Result("vip", "start", 0)], []));
        Report(cluster, 2, new StatusUpdate("braavos", [Result("vip", "start", 0)], []));
        cluster.Settle();
        cluster.Network.Heal();
        // An update still in flight when the view settles must not be undone by the announcement after it.
        Report(cluster, 2, new StatusUpdate("braavos", [Result("db", "start", 0)], []));
        cluster.Settle();
        foreach (var node in new uint[] { 1, 2 })
        {
            foreach (var other in new uint[] { 1, 2 })
            {
                Assert.Equal(cluster.Core(other).Status.Node(Name(other)), cluster.Core(node).Status.Node(Name(other)));
            }
        }
        Assert.Contains("db", cluster.Core(1).Status.Node("braavos").Resources.Keys);
    }

    [Fact]
    public void The_status_section_marks_nodes_as_membership_reports_them()
    {
        var store = new StatusStore("astapor");
        store.Apply(new StatusUpdate("braavos", [Result("vip", "start", 0)], [new AttributeChange("fail-count-vip#monitor_10000", "1")]));
        var section = store.ToSection([new NodeFacts(1, "astapor", true, true, true), new NodeFacts(2, "braavos", false, false, true)]);
        var braavos = section.Nodes.Single(n => n.Uname == "braavos");
        Assert.Equal("false", braavos.InCcm);
        Assert.Equal("member", braavos.Expected);
        Assert.Equal("fail-count-vip#monitor_10000", braavos.TransientAttributes.Single().Values.Single().Key);
        Assert.Equal("vip", braavos.Resources.Single().Id);
        Assert.Equal("true", section.Nodes.Single(n => n.Uname == "astapor").InCcm);
    }
}
