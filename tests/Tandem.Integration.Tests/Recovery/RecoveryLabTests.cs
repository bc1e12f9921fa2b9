using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;

namespace Tandem.Integration.Tests.Recovery;

/// <summary>
/// Real faults in the lab with the seed's group (VIP1 = IPaddr2, zcs_service = Dummy, stickiness 100,
/// migration-threshold 1), each outcome checked from outside: the client reaches VIP1 at the MAC address
/// of the node that should hold it, and the service's agent state is where it should be.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class RecoveryLabTests
{
    [Fact]
    public async Task A_hard_kill_of_the_active_node_recovers_the_group_on_the_survivor()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.LoadConfigurationAsync("astapor", SeedScenario.Configuration);
        var active = await SeedGroup.WaitAsync(lab, lab.Nodes, null);
        var survivor = lab.Nodes.Single(n => n != active);
        await SeedGroup.AssertServedByAsync(lab, active);

        await lab.KillAsync(active);

        Assert.Equal(survivor, await SeedGroup.WaitAsync(lab, [survivor], survivor));
        await SeedGroup.AssertServedByAsync(lab, survivor);
        Assert.True(await SeedGroup.ServiceRunsOnAsync(lab, survivor), $"zcs_service is reported started on {survivor} but its agent's state file is missing");
        var status = await lab.CheckTandemAsync(survivor, "status");
        Assert.Contains($"* OFFLINE: [ {active} ]", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"VIP1\t(ocf:heartbeat:IPaddr2):\t Started {survivor}", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"zcs_service\t(ocf:heartbeat:Dummy):\t Started {survivor}", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_monitor_failure_moves_the_group_shows_the_fail_count_and_cleanup_clears_it()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.LoadConfigurationAsync("astapor", SeedScenario.Configuration);
        var active = await SeedGroup.WaitAsync(lab, lab.Nodes, null);
        var other = lab.Nodes.Single(n => n != active);

        // The service dies under the cluster's feet: its state is gone, its next monitor finds it not running.
        var removed = await lab.ExecAsync(active, "rm", SeedGroup.ServiceStateFile);
        Assert.True(removed.Succeeded, removed.StandardError);

        // migration-threshold 1: one failure bans the service (and so the group) from that node.
        Assert.Equal(other, await SeedGroup.WaitAsync(lab, lab.Nodes, other));
        await SeedGroup.AssertServedByAsync(lab, other);
        Assert.True(await SeedGroup.ServiceRunsOnAsync(lab, other));
        Assert.False(await SeedGroup.ServiceRunsOnAsync(lab, active), $"zcs_service still runs on {active}");
        var json = await lab.WaitForStatusAsync(other, s => s.Runtime is { FailCounts.Count: > 0, FailedActions.Count: > 0 }, "the failure shown");
        var failCount = Assert.Single(json.Runtime!.FailCounts);
        Assert.Equal((active, "zcs_service", 1), (failCount.Node, failCount.Resource, failCount.FailCount));
        var failed = Assert.Single(json.Runtime.FailedActions);
        Assert.Equal(("zcs_service", active, 7), (failed.Resource, failed.Node, failed.ExitCode));
        var status = (await lab.CheckTandemAsync(other, "status")).StandardOutput;
        Assert.Contains("Migration Summary:", status, StringComparison.Ordinal);
        Assert.Contains($"  * Node: {active}:", status, StringComparison.Ordinal);
        Assert.Contains("zcs_service: migration-threshold=1 fail-count=1", status, StringComparison.Ordinal);
        Assert.Contains("Failed Resource Actions:", status, StringComparison.Ordinal);
        Assert.Contains($"zcs_service 10s-interval monitor on {active} returned 'not running'", status, StringComparison.Ordinal);

        var cleanup = await lab.CheckTandemAsync(other, "resource", "cleanup", "zcs_service");
        Assert.Contains($"Cleaned up zcs_service on {active}", cleanup.StandardOutput, StringComparison.Ordinal);

        // Every member forgets the failure; stickiness keeps the group where it is now.
        foreach (var node in lab.Nodes)
        {
            await lab.WaitForStatusAsync(node, s => s.Runtime is { FailCounts.Count: 0, FailedActions.Count: 0 }, "the failure cleared");
            var text = (await lab.CheckTandemAsync(node, "status")).StandardOutput;
            Assert.DoesNotContain("Migration Summary:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Failed Resource Actions:", text, StringComparison.Ordinal);
        }
        Assert.Equal(other, await SeedGroup.WaitAsync(lab, lab.Nodes, other));
        await SeedGroup.AssertServedByAsync(lab, other);
    }
}
