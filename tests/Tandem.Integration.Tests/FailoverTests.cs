using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests;

/// <summary>
/// The technical note's failover test (section 8) with real agents in the lab, each step checked from
/// outside: the client namespace reaches VIP1 at the MAC address of the node that should hold it, and
/// no other node has the address configured.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class FailoverTests
{
    [Fact]
    public async Task Standby_moves_the_group_online_keeps_it_and_standby_of_the_other_node_moves_it_back()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.LoadConfigurationAsync("astapor", SeedScenario.Configuration);
        var first = await WaitForGroupAsync(lab, null);
        var second = first == "astapor" ? "braavos" : "astapor";
        await AssertVipServedByAsync(lab, first);

        await lab.CheckTandemAsync(first, "node", "standby", first);
        Assert.Equal(second, await WaitForGroupAsync(lab, second));
        await AssertVipServedByAsync(lab, second);
        var status = await lab.CheckTandemAsync(second, "status");
        Assert.Contains($"* Node {first}: standby", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"* Online: [ {second} ]", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"VIP1\t(ocf:heartbeat:IPaddr2):\t Started {second}", status.StandardOutput, StringComparison.Ordinal);

        // Back online, stickiness keeps the group where it is.
        await lab.CheckTandemAsync(first, "node", "online", first);
        await lab.WaitForStatusAsync(second, s => s.Runtime is { } r && r.StatusLines.Any(l => l.Contains($"* Online: [ {Sorted(first, second)} ]", StringComparison.Ordinal)), $"{first} back online");
        Assert.Equal(second, await WaitForGroupAsync(lab, second));
        await AssertVipServedByAsync(lab, second);

        await lab.CheckTandemAsync(second, "node", "standby", second);
        Assert.Equal(first, await WaitForGroupAsync(lab, first));
        await AssertVipServedByAsync(lab, first);
    }

    private static string Sorted(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a} {b}" : $"{b} {a}";

    /// <summary>Waits until both members of the group run on one node (the expected one, when given), as every node reports.</summary>
    private static async Task<string> WaitForGroupAsync(TestLab lab, string? expected)
    {
        string? where = null;
        foreach (var node in lab.Nodes)
        {
            var status = await lab.WaitForStatusAsync(node, s =>
            {
                var vip = GroupNode(s);
                return vip is not null && (expected is null || vip == expected);
            }, expected is null ? "the group starting" : $"the group running on {expected}");
            var seen = GroupNode(status)!;
            Assert.True(where is null || where == seen, $"{node} sees the group on {seen}, another node on {where}");
            where = seen;
        }
        return where!;
    }

    private static string? GroupNode(StatusResponse status)
    {
        var placements = status.Runtime?.Placements ?? [];
        var vip = placements.FirstOrDefault(p => p.Id == "VIP1");
        var service = placements.FirstOrDefault(p => p.Id == "zcs_service");
        return vip is { Nodes.Count: 1 } && service is { Nodes.Count: 1 } && vip.Nodes[0] == service.Nodes[0] ? vip.Nodes[0] : null;
    }

    /// <summary>VIP1 is configured on <paramref name="owner"/> only, and the client reaches it at the owner's MAC address.</summary>
    private static async Task AssertVipServedByAsync(TestLab lab, string owner)
    {
        foreach (var node in lab.Nodes)
        {
            var addresses = await lab.ExecAsync(node, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
            Assert.Equal(node == owner, addresses.StandardOutput.Contains($" {SeedScenario.Vip}/", StringComparison.Ordinal));
        }
        var mac = (await lab.ExecAsync(owner, "cat", "/sys/class/net/eth0/address")).StandardOutput.Trim();
        var ping = await lab.ClientAsync("ping", "-c", "1", "-W", "2", SeedScenario.Vip);
        Assert.True(ping.Succeeded, $"the client cannot reach {SeedScenario.Vip}: {ping.StandardOutput}");
        var neighbour = await lab.ClientAsync("ip", "neigh", "show", SeedScenario.Vip);
        Assert.Contains($"lladdr {mac}", neighbour.StandardOutput, StringComparison.Ordinal);
    }
}
