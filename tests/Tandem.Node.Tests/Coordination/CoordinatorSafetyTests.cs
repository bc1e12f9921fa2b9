using Tandem.Bus.InMemory;
using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Coordination;
using Tandem.Node.Tests.Simulation.Faults;

namespace Tandem.Node.Tests.Coordination;

/// <summary>
/// Regressions found by the fault simulator (Simulation/FaultSimulationTests), each reduced to the few
/// steps that broke the cluster: the seed's two nodes and quorum device, the ground truth in the agents.
/// </summary>
public class CoordinatorSafetyTests
{
    private static FaultCluster Formed(string configuration)
    {
        var config = new InMemoryClusterConfig("sim", [new InMemoryNode(1, "astapor"), new InMemoryNode(2, "braavos")]) { QdeviceVotes = 1 };
        var cluster = new FaultCluster(config, seed: 1, new FaultyAgents());
        cluster.Boot(1);
        cluster.Boot(2);
        cluster.Settle();
        var store = cluster.Core(1).Config;
        cluster.Send(1, new ConfigChange("test-1", store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(configuration)), "test"));
        cluster.Settle();
        return cluster;
    }

    private static uint Other(uint node) => node == 1 ? 2u : 1u;

    [Fact]
    public void Stops_blocked_without_quorum_are_planned_once_not_in_a_loop()
    {
        // Fencing on and no quorum: the stops wait for fencing, and the graph holds only pseudo-actions. The
        // coordinator used to take such a completed graph for work done and plan again, a hundred times an event.
        var cluster = Formed(new SeedScenario(FencingMode.Device).Text());
        cluster.Advance(TimeSpan.FromSeconds(10));
        cluster.Settle();
        Assert.Single(cluster.Nodes, n => cluster.Agents.Role(n, "vip") == InstanceRole.Started);
        cluster.Network.SetArbiterReachable(1, false);
        cluster.Network.SetArbiterReachable(2, false);
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        var before = cluster.Daemons.Sum(n => cluster.Core(n).Coordinator!.Transitions);
        cluster.Advance(TimeSpan.FromSeconds(10));
        cluster.Settle();
        cluster.Advance(TimeSpan.FromSeconds(10));
        cluster.Settle();
        Assert.InRange(cluster.Daemons.Sum(n => cluster.Core(n).Coordinator!.Transitions) - before, 0, 2);
    }

    [Fact]
    public void A_plan_blocked_behind_a_failed_stop_is_not_planned_again_and_again()
    {
        // Fencing off: the service's stop fails, so it is blocked where it runs, and the scheduler moves the
        // promotion away (the app may no longer run there): the VIP's stop, the demotion and the promotion
        // elsewhere wait behind the blocked stop for good. Only a monitor's cancel could fire; the
        // coordinator took that for a finished plan's work and planned again, a hundred times an event, for ever.
        var scenario = new SeedScenario(FencingMode.Off);
        var cluster = Formed(scenario.Text());
        cluster.Advance(TimeSpan.FromSeconds(10));
        cluster.Settle();
        var owner = cluster.Nodes.Single(n => cluster.Agents.Role(n, "service") == InstanceRole.Started);
        var changes = 1;
        void Change(string description)
        {
            var store = cluster.Core(owner).Config;
            cluster.Send(owner, new ConfigChange($"test-{++changes}", store.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(scenario.Text())), description));
            cluster.Settle();
            cluster.Advance(TimeSpan.FromSeconds(10));
            cluster.Settle();
        }
        // Move everything to the other node and back: the promoted instance's number then differs from the node's.
        var name = cluster.Name(owner);
        scenario.Standby.Add(name);
        Change("standby");
        scenario.Standby.Remove(name);
        Change("online");
        var other = Other(owner);
        scenario.Standby.Add(cluster.Name(other));
        Change("standby other");
        scenario.Standby.Remove(cluster.Name(other));
        Change("online other");
        Assert.Equal(InstanceRole.Promoted, cluster.Agents.Role(owner, "vol"));
        Assert.Equal(InstanceRole.Started, cluster.Agents.Role(owner, "service"));

        cluster.Agents.Inject(owner, "service", "stop", new AgentFault(Hangs: false, LeavesRunning: true));
        scenario.AppStopped = true;
        var before = cluster.Transitions;
        Change("app Stopped");
        cluster.Advance(TimeSpan.FromSeconds(10));
        cluster.Settle();

        Assert.InRange(cluster.Transitions - before, 1, 6);
        // Blocked, not moved: the service may still run on its node, so nothing starts elsewhere.
        Assert.Equal(InstanceRole.Stopped, cluster.Agents.Role(other, "service"));
        Assert.Null(InvariantChecker.Check(cluster));
    }

    [Fact]
    public void Without_fencing_a_dead_daemon_s_resources_are_not_started_elsewhere_while_its_node_is_a_member()
    {
        var cluster = Formed("""
            property stonith-enabled=false
            property no-quorum-policy=stop
            rsc_defaults resource-stickiness=100
            primitive vip ocf:heartbeat:IPaddr2 params ip=192.0.2.10 op monitor interval=10s
            """);
        var owner = cluster.Nodes.Single(n => cluster.Agents.Role(n, "vip") == InstanceRole.Started);
        cluster.KillDaemon(owner);
        cluster.Settle();
        cluster.Advance(TimeSpan.FromSeconds(60));
        cluster.Settle();
        // The VIP still answers on its node, unseen: starting it elsewhere would put it on two nodes.
        Assert.Equal(InstanceRole.Started, cluster.Agents.Role(owner, "vip"));
        Assert.Equal(InstanceRole.Stopped, cluster.Agents.Role(Other(owner), "vip"));

        // The daemon comes back, probes, and the VIP stays where it runs.
        cluster.StartDaemon(owner);
        cluster.Settle();
        Assert.Equal(InstanceRole.Started, cluster.Agents.Role(owner, "vip"));
        Assert.Equal(InstanceRole.Stopped, cluster.Agents.Role(Other(owner), "vip"));

        // Once the node is gone for good (powered off), its resources are recovered.
        cluster.KillDaemon(owner);
        cluster.Settle();
        cluster.Crash(owner);
        cluster.Settle();
        Assert.Equal(InstanceRole.Started, cluster.Agents.Role(Other(owner), "vip"));
    }

    [Fact]
    public void A_start_delivered_after_this_node_lost_quorum_is_not_run()
    {
        var cluster = Formed("""
            property stonith-enabled=false
            property no-quorum-policy=stop
            primitive vip ocf:heartbeat:IPaddr2 params ip=192.0.2.10 meta target-role=Stopped op monitor interval=10s
            """);
        cluster.Network.SetArbiterReachable(1, false);
        cluster.Network.Partition([1], [2]);
        cluster.Settle();
        Assert.True(cluster.Core(2).Membership.Current.Quorate);

        // braavos's coordinator sends a start while quorate; the arbiter goes before the message is delivered.
        var start = new ExecuteAction("1:1:0:2", "braavos", "vip", "ocf", "heartbeat", "IPaddr2", "start", 0, 20_000,
            new Dictionary<string, string> { ["ip"] = "192.0.2.10" }, new Dictionary<string, string>());
        cluster.Send(2, start);
        cluster.Network.SetArbiterReachable(2, false);
        cluster.Settle();

        Assert.False(cluster.Core(2).Membership.Current.Quorate);
        Assert.Equal(InstanceRole.Stopped, cluster.Agents.Role(2, "vip"));
        Assert.Empty(cluster.StartsWithoutQuorum);
    }
}
