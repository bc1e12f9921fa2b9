using System.Net;
using Tandem.Deployment.Doctor;

namespace Tandem.Deployment.Tests.Doctor;

/// <summary>Facts of a healthy two-node plan (astapor 10.0.0.1 is this node, braavos 10.0.0.2), to be spoiled by each test.</summary>
public static class Facts
{
    public static readonly IPAddress Astapor = IPAddress.Parse("10.0.0.1");
    public static readonly IPAddress Braavos = IPAddress.Parse("10.0.0.2");

    public static NameResolution Resolves(string name, IPAddress address, string? reverse = null) =>
        new(name, [address], new Dictionary<IPAddress, string?> { [address] = reverse ?? name });

    public static DoctorFacts Good() => new()
    {
        HostName = "astapor",
        Peers = ["braavos"],
        Planned = new Dictionary<string, IPAddress> { ["astapor"] = Astapor, ["braavos"] = Braavos },
        LocalAddresses = [IPAddress.Loopback, Astapor],
        Names = [Resolves("astapor", Astapor), Resolves("braavos", Braavos)],
        Clock = new ClockFacts { KernelSynchronised = true, SyncDaemons = ["chronyd"], Peers = [new PeerClock("braavos", 3, 0.4)] },
        InstalledPackages = new Dictionary<string, string?> { ["corosync"] = "3.1.7", ["fuse3"] = "3.14" },
        RequiredPackages = ["corosync", "fuse3"],
        Kernel = new KernelFacts { FuseDevice = true, FuseFilesystem = true, LoopControl = true },
        RequiredPorts = [new RequiredPort("udp", 5405, "corosync", "corosync"), new RequiredPort("tcp", 7450, "Tandem endpoint", "tandem")],
        Firewall = NftRuleset.Empty,
        SystemdBooted = true,
        EnabledUnits = ["tandem-volume.service", "ssh.service"],
        RunningProcesses = ["sshd", "chronyd"],
    };

    public static CheckResult Only(this IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id);
}
