using System.Diagnostics;
using System.Text.Json;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Model.Json;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests;

/// <summary>
/// Issue 3, acceptance 3: the replicated configuration over real corosync, changed with the CLI inside
/// the lab's nodes. A change made on one node is seen on all; a node that was down catches up when it
/// rejoins; after a split where both sides changed it, the newest version wins and the merge is reported.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class ConfigReplicationTests
{
    /// <summary>Runs `tandem ARGS` on a node, retrying while the cluster is still settling a membership change.</summary>
    private static async Task<CommandResult> TandemAsync(TestLab lab, string node, params string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var result = await lab.ExecAsync(node, [TandemCli.Path, .. args]);
            if (result.Succeeded)
            {
                return result;
            }
            var transient = result.StandardError.Contains("synchronising", StringComparison.Ordinal)
                || result.StandardError.Contains("not running on this node", StringComparison.Ordinal)
                || result.StandardError.Contains("not connected", StringComparison.Ordinal);
            if (!transient || stopwatch.Elapsed > TestLab.SettleTimeout)
            {
                Assert.Fail($"tandem {string.Join(' ', args)} on {node}: {result.StandardError.Trim()}");
            }
            await Task.Delay(300);
        }
    }

    private static async Task<ConfigStatusResponse> ConfigStatusAsync(TestLab lab, string node)
    {
        var result = await TandemAsync(lab, node, "config", "status", "--json");
        return JsonSerializer.Deserialize<ConfigStatusResponse>(result.StandardOutput, LocalApiJson.Options)
            ?? throw new InvalidOperationException("empty config status");
    }

    private static async Task<string?> PropertyAsync(TestLab lab, string node, string name)
    {
        var result = await TandemAsync(lab, node, "config", "show", "--format", "json");
        return ConfigJson.Deserialize(result.StandardOutput).Configuration.Options[name];
    }

    /// <summary>Polls until every node holds the same copy (version and digest) satisfying the condition.</summary>
    private static async Task<ConfigStatusResponse> WaitForAgreementAsync(TestLab lab, IReadOnlyList<string> nodes, Func<ConfigStatusResponse, bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = new List<ConfigStatusResponse>();
        while (stopwatch.Elapsed < TestLab.SettleTimeout)
        {
            last.Clear();
            foreach (var node in nodes)
            {
                last.Add(await ConfigStatusAsync(lab, node));
            }
            if (last.All(s => !s.Synchronising && s.Version == last[0].Version && s.Digest == last[0].Digest) && condition(last[0]))
            {
                return last[0];
            }
            await Task.Delay(300);
        }
        Assert.Fail($"{what} did not happen within {TestLab.SettleTimeout.TotalSeconds} s; last: {string.Join("; ", last.Zip(nodes, (s, n) => $"{n} {s.Version} {s.Digest}{(s.Synchronising ? " synchronising" : "")}"))}");
        throw new UnreachableException();
    }

    [Fact]
    public async Task A_change_made_on_one_node_is_visible_on_all()
    {
        await using var lab = await TestLab.UpAsync();
        var before = await ConfigStatusAsync(lab, "braavos");
        await TandemAsync(lab, "astapor", "property", "set", "no-quorum-policy=stop");
        await TandemAsync(lab, "astapor", "resource", "create", "VIP1", "IPaddr2", "ip=192.0.2.10", "cidr_netmask=24", "op", "monitor", "interval=30s", "--disabled");

        var agreed = await WaitForAgreementAsync(lab, lab.Nodes, s => s.Version.Epoch == before.Version.Epoch + 2, "both changes reaching both nodes");
        Assert.Equal("stop", await PropertyAsync(lab, "braavos", "no-quorum-policy"));
        var shown = await TandemAsync(lab, "braavos", "resource", "show", "VIP1");
        Assert.Contains("primitive VIP1 ocf:heartbeat:IPaddr2", shown.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(agreed.Version, (await ConfigStatusAsync(lab, "astapor")).Version);
    }

    [Fact]
    public async Task A_node_that_was_down_while_changes_were_made_gets_them_when_it_rejoins()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.KillAsync("braavos");
        await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor"), "braavos going offline");
        await TandemAsync(lab, "astapor", "property", "set", "no-quorum-policy=stop");
        await TandemAsync(lab, "astapor", "property", "set", "symmetric-cluster=false");
        var changed = await ConfigStatusAsync(lab, "astapor");

        await lab.StartAsync("braavos");
        await lab.WaitForStatusAsync("braavos", s => s.Sees("astapor", "braavos"), "braavos rejoining");
        var agreed = await WaitForAgreementAsync(lab, lab.Nodes, s => s.Version == changed.Version, "braavos catching up");
        Assert.Equal(changed.Digest, agreed.Digest);
        Assert.Equal("false", await PropertyAsync(lab, "braavos", "symmetric-cluster"));
        var braavos = await ConfigStatusAsync(lab, "braavos");
        Assert.Equal("astapor", braavos.LastMerge?.Winner);
        Assert.Equal(["braavos"], braavos.LastMerge?.Replaced);
    }

    [Fact]
    public async Task After_a_split_where_both_sides_changed_the_newest_version_wins_and_the_merge_is_reported()
    {
        await using var lab = await TestLab.UpAsync();
        await lab.CutAsync("braavos");
        await lab.WaitForStatusAsync("astapor", s => s.Sees("astapor"), "the split seen from astapor");
        await lab.WaitForStatusAsync("braavos", s => s.Sees("braavos"), "the split seen from braavos");
        // two_node keeps both halves quorate, so both accept changes: astapor one, braavos two.
        await TandemAsync(lab, "astapor", "property", "set", "cluster-recheck-interval=5min");
        await TandemAsync(lab, "braavos", "property", "set", "cluster-recheck-interval=10min");
        await TandemAsync(lab, "braavos", "property", "set", "batch-limit=7");
        var astaporSide = await ConfigStatusAsync(lab, "astapor");
        var braavosSide = await ConfigStatusAsync(lab, "braavos");
        Assert.True(braavosSide.Version > astaporSide.Version);

        await lab.HealAsync("braavos");
        var agreed = await WaitForAgreementAsync(lab, lab.Nodes, s => s.Version == braavosSide.Version, "the merge");
        Assert.Equal(braavosSide.Digest, agreed.Digest);
        Assert.Equal("10min", await PropertyAsync(lab, "astapor", "cluster-recheck-interval"));
        Assert.Equal("7", await PropertyAsync(lab, "astapor", "batch-limit"));
        // Reported on both sides: who won, whose changes were replaced.
        foreach (var node in lab.Nodes)
        {
            var merge = (await ConfigStatusAsync(lab, node)).LastMerge;
            Assert.NotNull(merge);
            Assert.Equal("braavos", merge.Winner);
            Assert.Equal(["astapor"], merge.Replaced);
            Assert.Equal(astaporSide.Version, Assert.Single(merge.ReplacedStamps).Version);
        }
        var shown = await TandemAsync(lab, "astapor", "config", "status");
        Assert.Contains($"from braavos replaced {astaporSide.Version} ({astaporSide.Digest}) on astapor", shown.StandardOutput, StringComparison.Ordinal);
    }
}
