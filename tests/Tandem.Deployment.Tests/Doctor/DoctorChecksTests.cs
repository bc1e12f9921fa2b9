using System.Net;
using Tandem.Deployment.Doctor;

namespace Tandem.Deployment.Tests.Doctor;

public class DoctorChecksTests
{
    [Fact]
    public void A_healthy_node_passes_every_check()
    {
        var results = DoctorChecks.Run(Facts.Good());
        Assert.All(results, r => Assert.Equal(Verdict.Ok, r.Verdict));
        Assert.True(DoctorChecks.Passed(results));
    }

    [Fact]
    public void Own_name_on_the_debian_loopback_line_fails_and_says_which_line_to_replace()
    {
        var facts = Facts.Good() with { Names = [Facts.Resolves("astapor", IPAddress.Parse("127.0.1.1")), Facts.Resolves("braavos", Facts.Braavos)] };
        var result = DoctorChecks.Run(facts).Only("names.self");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("127.0.1.1", result.Detail, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1 astapor", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_resolving_elsewhere_than_planned_fails()
    {
        var facts = Facts.Good() with { Names = [Facts.Resolves("astapor", Facts.Astapor), Facts.Resolves("braavos", IPAddress.Parse("10.0.0.9"))] };
        var result = DoctorChecks.Run(facts).Only("names.peer.braavos");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("10.0.0.9", result.Detail, StringComparison.Ordinal);
        Assert.Contains("10.0.0.2", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_does_not_resolve_fails_with_the_hosts_line_to_add()
    {
        var facts = Facts.Good() with { Names = [Facts.Resolves("astapor", Facts.Astapor), new NameResolution("braavos", [], new Dictionary<IPAddress, string?>())] };
        var result = DoctorChecks.Run(facts).Only("names.peer.braavos");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("'10.0.0.2 braavos'", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Reverse_resolution_to_another_name_fails_and_a_missing_one_warns()
    {
        var other = Facts.Good() with { Names = [Facts.Resolves("astapor", Facts.Astapor), Facts.Resolves("braavos", Facts.Braavos, reverse: "meereen")] };
        Assert.Equal(Verdict.Failed, DoctorChecks.Run(other).Only("names.peer.braavos").Verdict);
        var none = Facts.Good() with { Names = [Facts.Resolves("astapor", Facts.Astapor), new NameResolution("braavos", [Facts.Braavos], new Dictionary<IPAddress, string?> { [Facts.Braavos] = null })] };
        Assert.Equal(Verdict.Warning, DoctorChecks.Run(none).Only("names.peer.braavos").Verdict);
        var fqdn = Facts.Good() with { Names = [Facts.Resolves("astapor", Facts.Astapor), Facts.Resolves("braavos", Facts.Braavos, reverse: "braavos.got.com")] };
        Assert.Equal(Verdict.Ok, DoctorChecks.Run(fqdn).Only("names.peer.braavos").Verdict);
    }

    [Fact]
    public void Own_name_on_an_address_this_machine_does_not_have_fails()
    {
        var facts = Facts.Good() with { LocalAddresses = [IPAddress.Loopback, IPAddress.Parse("10.0.0.7")] };
        var result = DoctorChecks.Run(facts).Only("names.self");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("10.0.0.7", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120, Verdict.Ok)]
    [InlineData(-600, Verdict.Warning)]
    [InlineData(5000, Verdict.Failed)]
    [InlineData(-1500, Verdict.Failed)]
    public void Peer_clock_offsets_are_judged_by_size(double offsetMs, Verdict expected)
    {
        var facts = Facts.Good() with { Clock = new ClockFacts { KernelSynchronised = true, Peers = [new PeerClock("braavos", offsetMs, 0.5)] } };
        var result = DoctorChecks.Run(facts).Only("clock.peer.braavos");
        Assert.Equal(expected, result.Verdict);
        Assert.Contains(offsetMs >= 0 ? "ahead of" : "behind", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsynchronised_clock_warns_and_an_unmeasurable_peer_warns()
    {
        var facts = Facts.Good() with { Clock = new ClockFacts { KernelSynchronised = false, Peers = [new PeerClock("braavos", null, null, "no answer")] } };
        var results = DoctorChecks.Run(facts);
        Assert.Equal(Verdict.Warning, results.Only("clock.sync").Verdict);
        Assert.Equal(Verdict.Warning, results.Only("clock.peer.braavos").Verdict);
        Assert.True(DoctorChecks.Passed(results));
    }

    [Fact]
    public void Missing_packages_are_named_in_the_apt_command()
    {
        var facts = Facts.Good() with { InstalledPackages = new Dictionary<string, string?> { ["corosync"] = "3.1.7", ["fuse3"] = null } };
        var result = DoctorChecks.Run(facts).Only("packages");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal("apt-get install fuse3", result.Fix);
    }

    [Fact]
    public void Missing_fuse_or_loop_fails_with_modprobe()
    {
        var facts = Facts.Good() with { Kernel = new KernelFacts { FuseDevice = true, FuseFilesystem = true, LoopControl = false } };
        var result = DoctorChecks.Run(facts).Only("kernel");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("modprobe loop", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Corosync_or_pacemaker_enabled_at_boot_fails_only_where_systemd_boots_the_machine()
    {
        var enabled = Facts.Good() with { EnabledUnits = ["corosync.service", "pacemaker.service"] };
        var result = DoctorChecks.Run(enabled).Only("boot");
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal("systemctl disable corosync.service pacemaker.service (tandem.service starts corosync when the cluster starts)", result.Fix);
        Assert.Equal(Verdict.Skipped, DoctorChecks.Run(enabled with { SystemdBooted = false }).Only("boot").Verdict);
    }

    [Fact]
    public void A_running_pacemaker_fails()
    {
        var facts = Facts.Good() with { RunningProcesses = ["pacemakerd", "sshd"] };
        Assert.Equal(Verdict.Failed, DoctorChecks.Run(facts).Only("managers").Verdict);
    }

    [Fact]
    public void A_port_held_by_another_process_fails_and_by_its_owner_passes()
    {
        var facts = Facts.Good() with
        {
            BoundPorts = [new BoundPort("udp", IPAddress.Any, 5405, "corosync"), new BoundPort("tcp", IPAddress.Any, 7450, "nginx")],
        };
        var results = DoctorChecks.Run(facts);
        Assert.Equal(Verdict.Ok, results.Only("port.udp.5405").Verdict);
        var taken = results.Only("port.tcp.7450");
        Assert.Equal(Verdict.Failed, taken.Verdict);
        Assert.Contains("nginx", taken.Detail, StringComparison.Ordinal);
    }
}
