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
    private static FaultCluster Formed(string configuration, int seed = 1)
    {
        var config = new InMemoryClusterConfig("sim", [new InMemoryNode(1, "astapor"), new InMemoryNode(2, "braavos")]) { QdeviceVotes = 1 };
        var cluster = new FaultCluster(config, seed, new FaultyAgents());
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
    public void After_a_split_without_quorum_heals_neither_node_is_fenced_while_its_daemon_rejoins()
    {
        // Found by the fault simulator: corosync reports the merged partition's quorum and the group's view
        // in either order. With quorum first, each coordinator saw the other node back in the membership
        // without its daemon (as if the daemon had died on a live node) and fenced it: both nodes went down.
        // The network's seed orders the two notifications, so a few seeds cover both orders on both nodes.
        for (var seed = 1; seed <= 12; seed++)
        {
            var cluster = Formed(new SeedScenario(FencingMode.Watchdog).Text(), seed);
            cluster.Advance(TimeSpan.FromSeconds(10));
            cluster.Settle();
            Assert.Single(cluster.Nodes, n => cluster.Agents.Role(n, "vip") == InstanceRole.Started);
            cluster.Network.SetArbiterReachable(1, false);
            cluster.Network.SetArbiterReachable(2, false);
            cluster.Network.Partition([1], [2]);
            cluster.Settle();

            cluster.Network.Heal();
            cluster.Network.SetArbiterReachable(1, true);
            cluster.Network.SetArbiterReachable(2, true);
            cluster.Settle();

            Assert.All(cluster.Nodes, n => Assert.Equal(SimulatedNodeState.Up, cluster.Network.NodeState(n)));
            Assert.Equal([1u, 2u], cluster.Daemons);
            cluster.Advance(TimeSpan.FromSeconds(30));
            cluster.Settle();
            Assert.Null(Convergence.Check(cluster));
            Assert.Single(cluster.Nodes, n => cluster.Agents.Role(n, "vip") == InstanceRole.Started);
        }
    }

    [Fact]
    public void A_cancelled_monitor_leaves_the_history_on_every_node()
    {
        // Found by the fault simulator (seed 5000719): the entry of a cancelled monitor stayed in the history, so
        // the scheduler cancelled it again after every transition, for ever. Pacemaker's controller deletes it.
        var cluster = Formed("""
            property stonith-enabled=false
            primitive vip ocf:heartbeat:IPaddr2 params ip=192.0.2.10 op monitor interval=10s
            """);
        var owner = cluster.Nodes.Single(n => cluster.Agents.Role(n, "vip") == InstanceRole.Started);
        var name = cluster.Name(owner);
        Assert.All(cluster.Daemons, d => Assert.Contains("vip_monitor_10000", cluster.Core(d).Status.Node(name).Resources["vip"].History.Keys));

        var cancel = new ExecuteAction("9:9:0:1", name, "vip", "ocf", "heartbeat", "IPaddr2", "cancel", 10_000, 20_000,
            new Dictionary<string, string>(), new Dictionary<string, string> { ["operation"] = "monitor" });
        cluster.Send(Other(owner), cancel);
        cluster.Settle();

        Assert.All(cluster.Daemons, d => Assert.DoesNotContain("vip_monitor_10000", cluster.Core(d).Status.Node(name).Resources["vip"].History.Keys));
        Assert.All(cluster.Daemons, d => Assert.Contains("vip_last_0", cluster.Core(d).Status.Node(name).Resources["vip"].History.Keys));
    }

    [Fact]
    public void A_restarted_daemon_s_node_is_probed_before_its_volume_is_promoted_elsewhere()
    {
        // Found by the fault simulator (seed 107): a restarted daemon announces an empty history; the coordinator
        // planned the probes of that node and, in the same graph, the promotion of the other replica, which did
        // not wait for the probe that would have found the volume still Primary there: two Primaries.
        for (var seed = 1; seed <= 8; seed++)
        {
            var scenario = new SeedScenario(FencingMode.Watchdog);
            var cluster = Formed(scenario.Text(), seed);
            cluster.Advance(TimeSpan.FromSeconds(10));
            cluster.Settle();
            var owner = cluster.Nodes.Single(n => cluster.Agents.Role(n, "vol") == InstanceRole.Promoted);
            scenario.Standby.Add(cluster.Name(owner));
            cluster.Agents.Inject(owner, "service", "stop", new AgentFault(Hangs: true, LeavesRunning: true));
            cluster.Send(Other(owner), new ConfigChange("test-2", cluster.Core(Other(owner)).Config.Stamp.Version, ConfigJson.Serialize(TextParser.Parse(scenario.Text())), "standby"));
            cluster.Pump(12);
            cluster.KillDaemon(owner);
            cluster.Pump(seed * 3);
            cluster.StartDaemon(owner);
            while (cluster.PumpOne())
            {
                Assert.Null(InvariantChecker.Check(cluster));
            }
            cluster.Advance(TimeSpan.FromSeconds(30));
            cluster.Settle();
            Assert.Null(InvariantChecker.Check(cluster));
        }
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
