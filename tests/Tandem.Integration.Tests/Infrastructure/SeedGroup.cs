using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>
/// The seed's group (VIP1 and zcs_service, <see cref="SeedScenario"/>) seen by the nodes' daemons and from
/// outside: where both members run, and which node the client namespace reaches VIP1 on.
/// </summary>
public static class SeedGroup
{
    /// <summary>The state file of ocf:heartbeat:Dummy for zcs_service: it exists while the service runs.</summary>
    public const string ServiceStateFile = "/run/resource-agents/Dummy-zcs_service.state";

    /// <summary>The node both members of the group run on, or null while they are not together on one node.</summary>
    public static string? Node(StatusResponse status)
    {
        var placements = status.Runtime?.Placements ?? [];
        var vip = placements.FirstOrDefault(p => p.Id == "VIP1");
        var service = placements.FirstOrDefault(p => p.Id == "zcs_service");
        return vip is { Nodes.Count: 1 } && service is { Nodes.Count: 1 } && vip.Nodes[0] == service.Nodes[0] ? vip.Nodes[0] : null;
    }

    /// <summary>Waits until each of <paramref name="observers"/> sees the group on one node (the expected one, when given); returns it.</summary>
    public static async Task<string> WaitAsync(TestLab lab, IEnumerable<string> observers, string? expected)
    {
        string? where = null;
        foreach (var node in observers)
        {
            var status = await lab.WaitForStatusAsync(node, s => Node(s) is { } n && (expected is null || n == expected),
                expected is null ? "the group starting" : $"the group running on {expected}");
            var seen = Node(status)!;
            Assert.True(where is null || where == seen, $"{node} sees the group on {seen}, another node on {where}");
            where = seen;
        }
        return where!;
    }

    /// <summary>
    /// VIP1 is configured on <paramref name="owner"/> and on no other powered node, and the client reaches
    /// it at the owner's MAC address.
    /// </summary>
    public static async Task AssertServedByAsync(TestLab lab, string owner)
    {
        foreach (var node in lab.Nodes)
        {
            if (!await lab.NodePoweredAsync(node))
            {
                continue;
            }
            var addresses = await lab.ExecAsync(node, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
            Assert.Equal(node == owner, addresses.StandardOutput.Contains($" {SeedScenario.Vip}/", StringComparison.Ordinal));
        }
        var mac = (await lab.ExecAsync(owner, "cat", "/sys/class/net/eth0/address")).StandardOutput.Trim();
        var ping = await lab.ClientAsync("ping", "-c", "1", "-W", "2", SeedScenario.Vip);
        Assert.True(ping.Succeeded, $"the client cannot reach {SeedScenario.Vip}: {ping.StandardOutput}");
        var neighbour = await lab.ClientAsync("ip", "neigh", "show", SeedScenario.Vip);
        Assert.Contains($"lladdr {mac}", neighbour.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Whether the service really runs on the node (its agent's state file is there).</summary>
    public static async Task<bool> ServiceRunsOnAsync(TestLab lab, string node) =>
        (await lab.ExecAsync(node, "test", "-e", ServiceStateFile)).Succeeded;
}
