using Tandem.Cli.Commands;
using Tandem.Node.Api;

namespace Tandem.Cli.Tests;

/// <summary>`tandem status` as text: the membership table, and the fencing history when there is one.</summary>
public sealed class StatusRenderTests
{
    private static StatusResponse Status(params FenceEvent[] fencings) => new(
        "zimbra",
        new NodeRef(1, "astapor"),
        [new NodeStatus(1, "astapor", Online: true, Daemon: true), new NodeStatus(2, "braavos", Online: false, Daemon: false)],
        new QuorumStatus(true, 3, 2, 2, ["Qdevice"], 8, null),
        new NodeRef(1, "astapor"),
        ElectionPending: false,
        [new LinkStatus("braavos", 0, Connected: false)],
        new DaemonInfo(42, "1.0", DateTimeOffset.UnixEpoch),
        new Dictionary<string, string>())
    {
        FencingHistory = fencings,
    };

    [Fact]
    public void A_fencing_is_listed_under_Fencing_History_newest_first()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var text = StatusCommand.Render(Status(
            new FenceEvent("braavos", "off", true, "fence_tandemlab", "astapor", null, at, "off of braavos successful: delegate=astapor"),
            new FenceEvent("braavos", "off", false, "", "astapor", "timed out", at, "off of braavos failed: delegate=astapor")));
        Assert.Contains("braavos  2   OFFLINE", text, StringComparison.Ordinal);
        Assert.EndsWith("\nFencing History:\n  * off of braavos successful: delegate=astapor\n  * off of braavos failed: delegate=astapor\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_fencings_there_is_no_Fencing_History_section() =>
        Assert.DoesNotContain("Fencing History", StatusCommand.Render(Status()), StringComparison.Ordinal);
}
