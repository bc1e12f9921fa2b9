using System.Text.Json;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;

namespace Tandem.Integration.Tests;

/// <summary>
/// The mail scenario with real Postfix and Dovecot inside a lab node, started and stopped by Debian's
/// ocf:heartbeat agents (IPaddr2, postfix, dovecot) run directly, and mail sent and read back from the
/// client namespace through the floating address.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class MailTests
{
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Mail_sent_to_the_vip_is_accepted_delivered_to_maildirs_on_the_store_and_read_back_over_imap()
    {
        await using var lab = await TestLab.UpAsync(scenario: MailScenario.Name);
        await AgentAsync(lab, "astapor", "IPaddr2", "start", 0, $"ip={MailScenario.VipAddress}", $"cidr_netmask={LabLayout.PrefixLength}", "nic=eth0");
        await AgentAsync(lab, "astapor", "postfix", "start", 0);
        await AgentAsync(lab, "astapor", "dovecot", "start", 0);
        await AgentAsync(lab, "astapor", "postfix", "monitor", 0);
        await AgentAsync(lab, "astapor", "dovecot", "monitor", 0);

        var load = await HostCommand.RunAsync("ip",
        [
            "netns", "exec", lab.ClientNamespace, TandemCli.Path, "mail-load", "--smtp", MailScenario.VipAddress,
            "--domain", MailScenario.Domain, "--users", string.Join(',', MailScenario.Users.Select(u => $"{u.User}:{u.Password}")),
            "--rate", "10", "--count", "12", "--settle", "60s", "--run-id", "lab", "--json",
        ], TimeSpan.FromSeconds(180));

        Assert.True(load.Succeeded, $"mail-load exited {load.ExitCode}: {load.StandardError}{load.StandardOutput}");
        using var report = JsonDocument.Parse(load.StandardOutput);
        Assert.Equal(12, report.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(12, report.RootElement.GetProperty("delivered").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("lost").GetArrayLength());
        Assert.Equal(0, report.RootElement.GetProperty("duplicated").GetArrayLength());

        // The messages are files in the Maildirs on /opt/zimbra, and the queue is there too: the store
        // that moves with the volume holds both.
        var maildir = await lab.ExecAsync("astapor", "sh", "-c", $"grep -l 'X-Tandem-Id: lab-' {MailScenario.MaildirRoot}/arya/new/* {MailScenario.MaildirRoot}/arya/cur/* 2>/dev/null | wc -l");
        Assert.Equal("4", maildir.StandardOutput.Trim());
        var queue = await lab.ExecAsync("astapor", "postconf", "-h", "queue_directory");
        Assert.Equal(MailScenario.QueueDir, queue.StandardOutput.Trim());
        var braavos = await lab.ExecAsync("braavos", "sh", "-c", $"ls {MailScenario.MaildirRoot}/arya 2>&1 || true");
        Assert.DoesNotContain("new", braavos.StandardOutput, StringComparison.Ordinal);

        await AgentAsync(lab, "astapor", "dovecot", "stop", 0);
        await AgentAsync(lab, "astapor", "postfix", "stop", 0);
        await AgentAsync(lab, "astapor", "dovecot", "monitor", 7);
        await AgentAsync(lab, "astapor", "postfix", "monitor", 7);
        await AgentAsync(lab, "astapor", "IPaddr2", "stop", 0, $"ip={MailScenario.VipAddress}", $"cidr_netmask={LabLayout.PrefixLength}", "nic=eth0");
    }

    private static async Task AgentAsync(TestLab lab, string node, string agent, string action, int expectedExit, params string[] parameters)
    {
        var result = await lab.ExecAsync(AgentTimeout, node,
        [
            "env", "OCF_ROOT=/usr/lib/ocf", $"OCF_RESOURCE_INSTANCE={agent}", .. parameters.Select(p => "OCF_RESKEY_" + p),
            $"/usr/lib/ocf/resource.d/heartbeat/{agent}", action,
        ]);
        Assert.True(result.ExitCode == expectedExit, $"{agent} {action} on {node}: exit {result.ExitCode}, expected {expectedExit}: {result.StandardError}{result.StandardOutput}");
    }
}
