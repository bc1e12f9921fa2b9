using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Tests.Devices;

/// <summary>ocf:tandem:volume against two real volume services: OCF exit codes and a promotion score that follows the data.</summary>
[Collection("Devices")]
public sealed class VolumeAgentTests
{
    private const int NotRunning = 7;
    private const int RunningPromoted = 8;

    [Fact]
    public void Monitor_and_promotion_score_follow_role_and_data()
    {
        using var pair = new VolumePair(size: "64M");
        foreach (var n in new[] { "a", "b" })
        {
            pair.Cli(n, "volume", "create-md", VolumePair.Volume);
            pair.Serve(n);
            Assert.Equal(NotRunning, pair.Agent(n, "monitor").Exit);
            Assert.Equal(0, pair.Agent(n, "start").Exit);
        }
        VolumePair.Until(() => pair.Status("a").Connection == ConnectionState.Connected, "the replicas connect");
        Assert.Equal(0, pair.Agent("a", "monitor").Exit);
        Assert.Equal("-l reboot -D", pair.LastScore("a"));
        var refused = pair.Agent("a", "promote");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("ocf-exit-reason:", refused.Err);

        pair.Cli("a", "volume", "primary", "--force", VolumePair.Volume);
        pair.Cli("a", "volume", "wait-sync", VolumePair.Volume, "--timeout", "60");
        Assert.Equal(RunningPromoted, pair.Agent("a", "monitor").Exit);
        Assert.Equal("-l reboot -v 10000", pair.LastScore("a"));
        Assert.Equal(0, pair.Agent("b", "monitor").Exit);
        Assert.Equal("-l reboot -v 10000", pair.LastScore("b"));

        // The Primary leaves: the Secondary marks itself Outdated and loses its score; the Primary keeps the top
        // one (a replica that comes back must not outscore it), and once demoted, a lower one.
        pair.Cli("a", "volume", "disconnect", VolumePair.Volume);
        VolumePair.Until(() => pair.Status("b").Disk == DiskState.Outdated, "b is Outdated", 10);
        Assert.Equal(0, pair.Agent("b", "notify").Exit);
        Assert.Equal("-l reboot -D", pair.LastScore("b"));
        Assert.Equal(RunningPromoted, pair.Agent("a", "monitor").Exit);
        Assert.Equal("-l reboot -v 10000", pair.LastScore("a"));

        Assert.Equal(0, pair.Agent("a", "demote").Exit);
        Assert.Equal("-l reboot -v 1000", pair.LastScore("a"));
        Assert.Equal(0, pair.Agent("a", "monitor").Exit);
        Assert.Equal(0, pair.Agent("a", "stop").Exit);
        Assert.Equal(NotRunning, pair.Agent("a", "monitor").Exit);
        Assert.Equal(0, pair.Agent("a", "stop").Exit);
    }
}
