using System.Net;

namespace Tandem.Deployment.Doctor;

/// <summary>
/// Everything `tandem doctor` looks at, gathered once by <see cref="FactGatherer"/>; the checks are pure
/// functions of it, so each can be tested with made-up facts.
/// </summary>
public sealed record DoctorFacts
{
    /// <summary>This machine's name (gethostname).</summary>
    public required string HostName { get; init; }

    /// <summary>The node names to check: this node first, then its peers.</summary>
    public required IReadOnlyList<string> Peers { get; init; }

    /// <summary>Addresses the cluster will use (from --node NAME=ADDR or /etc/tandem/cluster.json), by node name.</summary>
    public IReadOnlyDictionary<string, IPAddress> Planned { get; init; } = new Dictionary<string, IPAddress>();

    /// <summary>Addresses configured on this machine's interfaces.</summary>
    public IReadOnlyList<IPAddress> LocalAddresses { get; init; } = [];

    /// <summary>How each name (this node's and the peers') resolves here.</summary>
    public IReadOnlyList<NameResolution> Names { get; init; } = [];

    public ClockFacts Clock { get; init; } = new();

    /// <summary>Debian packages by name; null when dpkg is not there to ask.</summary>
    public IReadOnlyDictionary<string, string?>? InstalledPackages { get; init; }

    public IReadOnlyList<string> RequiredPackages { get; init; } = [];

    public KernelFacts Kernel { get; init; } = new();

    /// <summary>The ports the cluster needs on this node.</summary>
    public IReadOnlyList<RequiredPort> RequiredPorts { get; init; } = [];

    /// <summary>Sockets bound on this machine (in its network namespace).</summary>
    public IReadOnlyList<BoundPort> BoundPorts { get; init; } = [];

    /// <summary>The nftables ruleset; null with <see cref="FirewallError"/> when it could not be read.</summary>
    public NftRuleset? Firewall { get; init; }

    public string? FirewallError { get; init; }

    /// <summary>systemd is this machine's init (/run/systemd/system exists).</summary>
    public bool SystemdBooted { get; init; }

    /// <summary>Units enabled to start at boot (links in /etc/systemd/system/*.wants).</summary>
    public IReadOnlyList<string> EnabledUnits { get; init; } = [];

    /// <summary>Names (comm) of the processes running on this machine.</summary>
    public IReadOnlyList<string> RunningProcesses { get; init; } = [];
}

/// <summary>Forward resolution of a name, and the reverse resolution of each address found.</summary>
public sealed record NameResolution(string Name, IReadOnlyList<IPAddress> Addresses, IReadOnlyDictionary<IPAddress, string?> Reverse)
{
    public string? Error { get; init; }
}

/// <summary>A port the cluster needs: its protocol, number and who should own it.</summary>
public sealed record RequiredPort(string Protocol, int Port, string Purpose, string Owner);

/// <summary>A bound socket and, when known, the process that holds it.</summary>
public sealed record BoundPort(string Protocol, IPAddress Address, int Port, string? Process);

public sealed record KernelFacts
{
    public bool FuseDevice { get; init; }
    public bool LoopControl { get; init; }
    public bool FuseFilesystem { get; init; }
}

/// <summary>The clock of this machine and its offset to each peer.</summary>
public sealed record ClockFacts
{
    /// <summary>The kernel's view (adjtimex): true when an NTP client disciplines the clock; null if unknown.</summary>
    public bool? KernelSynchronised { get; init; }

    /// <summary>Time-sync daemons found running (chronyd, ntpd, systemd-timesyncd, ...).</summary>
    public IReadOnlyList<string> SyncDaemons { get; init; } = [];

    public IReadOnlyList<PeerClock> Peers { get; init; } = [];
}

/// <summary>
/// A peer's clock as measured with ICMP timestamp requests: <see cref="OffsetMs"/> is the peer's clock
/// minus ours, known to within ± half of <see cref="RoundTripMs"/> (and the protocol's 1 ms resolution).
/// </summary>
public sealed record PeerClock(string Peer, double? OffsetMs, double? RoundTripMs, string? Error = null);
