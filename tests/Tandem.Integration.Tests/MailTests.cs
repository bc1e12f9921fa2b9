using System.Text.Json;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests;

/// <summary>
/// The mail scenario as Tandem runs it: the volume optzimbra promoted on one node, its ext4 mounted on
/// /opt/zimbra, Postfix and Dovecot under Debian's agents, VIP1; mail sent from the client namespace
/// while the operator puts the active node in standby is all there afterwards, on the volume, read over
/// IMAP from the other node.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class MailTests
{
    private static readonly string[] Stack = ["VIP1", "mail_fs", "mail_smtp", "mail_imap"];

    [Fact]
    public async Task Mail_accepted_across_a_switchover_is_all_delivered_to_the_store_on_the_volume()
    {
        await using var lab = await TestLab.UpAsync(scenario: MailScenario.Name);
        var status = await lab.WaitForStatusAsync("astapor", s => RunningTogether(s, Stack) is not null && Promoted(s) == RunningTogether(s, Stack), "the mail stack on the promoted volume");
        var home = RunningTogether(status, Stack)!;
        var other = home == "astapor" ? "braavos" : "astapor";
        Assert.True(await StoreOnVolumeAsync(lab, home), $"{MailScenario.StoreDir} on {home} is not the volume");
        Assert.False(await StoreOnVolumeAsync(lab, other), $"{MailScenario.StoreDir} on {other} is the volume too");

        var load = HostCommand.RunAsync("ip",
        [
            "netns", "exec", lab.ClientNamespace, TandemCli.Path, "mail-load", "--smtp", MailScenario.VipAddress,
            "--domain", MailScenario.Domain, "--users", string.Join(',', MailScenario.Users.Select(u => $"{u.User}:{u.Password}")),
            "--rate", "4", "--duration", "60s", "--settle", "120s", "--run-id", "switch", "--json",
        ], TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(10));
        await lab.CheckTandemAsync(home, "node", "standby", home);
        await lab.WaitForStatusAsync(other, s => RunningTogether(s, Stack) == other && Promoted(s) == other, $"the mail stack moving to {other}");

        var result = await load;
        Assert.True(result.Succeeded, $"mail-load exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        using var report = JsonDocument.Parse(result.StandardOutput);
        var accepted = report.RootElement.GetProperty("accepted").GetInt32();
        Assert.True(accepted >= 100, $"only {accepted} of 240 messages accepted: {result.StandardOutput}");
        Assert.Equal(accepted, report.RootElement.GetProperty("delivered").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("lost").GetArrayLength());
        Assert.Equal(0, report.RootElement.GetProperty("duplicated").GetArrayLength());
        // The client saw the switchover end: no outage is still open when the load stopped.
        Assert.All(report.RootElement.GetProperty("outages").EnumerateArray(), o => Assert.True(o.TryGetProperty("endSeconds", out var end) && end.ValueKind == JsonValueKind.Number, $"open outage: {o}"));

        // Every accepted message is a file in a Maildir on the volume, now mounted on the other node.
        Assert.True(await StoreOnVolumeAsync(lab, other), $"{MailScenario.StoreDir} on {other} is not the volume");
        var files = await lab.ExecAsync(other, "sh", "-c", $"grep -l 'X-Tandem-Id: switch-' {MailScenario.MaildirRoot}/*/new/* {MailScenario.MaildirRoot}/*/cur/* 2>/dev/null | wc -l");
        Assert.Equal(accepted, int.Parse(files.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the node has the volume's device (a link to its loop device) mounted on /opt/zimbra.</summary>
    private static async Task<bool> StoreOnVolumeAsync(TestLab lab, string node) =>
        (await lab.ExecAsync(node, "sh", "-c", $"[ -e {MailScenario.VolumeDevice} ] && [ \"$(findmnt -n -o SOURCE --mountpoint {MailScenario.StoreDir} | tail -n 1)\" = \"$(readlink -f {MailScenario.VolumeDevice})\" ]")).Succeeded;

    /// <summary>The single node all the resources run on, or null.</summary>
    private static string? RunningTogether(StatusResponse status, IReadOnlyList<string> resources)
    {
        var placements = status.Runtime?.Placements ?? [];
        var nodes = resources.Select(id => placements.FirstOrDefault(p => p.Id == id) is { Nodes.Count: 1 } p ? p.Nodes[0] : null).Distinct().ToList();
        return nodes is [{ } node] ? node : null;
    }

    /// <summary>The node where the volume's clone is Promoted, or null.</summary>
    private static string? Promoted(StatusResponse status) =>
        (status.Runtime?.Placements ?? []).SingleOrDefault(p => p.Parent == $"{MailScenario.VolumeName}_ms" && p.Role == "Promoted" && p.Nodes.Count == 1)?.Nodes[0];
}
