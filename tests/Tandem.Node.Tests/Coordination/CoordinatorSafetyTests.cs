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
        var cluster = Formed(new SeedScenario(fencing: true).Text());
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
}
