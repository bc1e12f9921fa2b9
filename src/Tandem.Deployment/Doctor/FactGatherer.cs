using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Tandem.Deployment.Cluster;
using Tandem.Volumes.Definition;

namespace Tandem.Deployment.Doctor;

/// <summary>What `tandem doctor` was asked to check, besides what the machine says.</summary>
public sealed record DoctorRequest
{
    /// <summary>Peers named with --peers.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>Planned addresses named with --node NAME=ADDR.</summary>
    public IReadOnlyDictionary<string, IPAddress> Planned { get; init; } = new Dictionary<string, IPAddress>();

    public ClusterPaths Paths { get; init; } = ClusterPaths.System;

    /// <summary>The local clock; the lab skews it through <see cref="SkewedTimeProvider"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Gathers the facts of this machine for the doctor's checks: the only part that does I/O.</summary>
public static class FactGatherer
{
    public static readonly string[] BasePackages =
    [
        "corosync", "libcorosync-common4", "libcpg4", "libquorum5", "libvotequorum8", "libcmap4", "libcfg7", "libqb100",
        "resource-agents", "fuse3",
    ];

    private static readonly string[] SyncDaemons = ["chronyd", "ntpd", "systemd-timesyn", "openntpd", "ntpsec"];

    public static async Task<DoctorFacts> GatherAsync(DoctorRequest request, CancellationToken cancellationToken)
    {
        var hostName = Dns.GetHostName();
        var spec = ClusterSpec.TryLoad(request.Paths);
        var planned = new Dictionary<string, IPAddress>(spec?.AddressesByName() ?? new Dictionary<string, IPAddress>(), StringComparer.Ordinal);
        foreach (var (name, address) in request.Planned)
        {
            planned[name] = address;
        }
        var self = planned.Keys.FirstOrDefault(n => NameChecks.SameNode(n, hostName)) ?? hostName;
        var peers = request.Peers.Concat(planned.Keys).Where(n => !NameChecks.SameNode(n, self)).Distinct(StringComparer.Ordinal).ToList();

        var names = new List<NameResolution>();
        foreach (var name in (string[])[self, .. peers])
        {
            names.Add(await ResolveAsync(name, cancellationToken).ConfigureAwait(false));
        }
        var processes = Processes();
        var probe = new IcmpClockProbe(request.Time);
        var peerClocks = new List<PeerClock>();
        foreach (var peer in peers)
        {
            var address = planned.GetValueOrDefault(peer) ?? names.First(n => n.Name == peer).Addresses.FirstOrDefault(a => !IPAddress.IsLoopback(a));
            peerClocks.Add(address is null
                ? new PeerClock(peer, null, null, "its name does not resolve")
                : await MeasureAsync(probe, peer, address, cancellationToken).ConfigureAwait(false));
        }
        var packages = (string[])[.. BasePackages, .. spec?.Quorum == Corosync.QuorumMode.QDevice ? ["corosync-qdevice"] : Array.Empty<string>()];
        var (ruleset, firewallError) = await ReadFirewallAsync(cancellationToken).ConfigureAwait(false);

        return new DoctorFacts
        {
            HostName = hostName,
            Peers = peers,
            Planned = planned,
            LocalAddresses = LocalAddresses(),
            Names = names,
            Clock = new ClockFacts
            {
                KernelSynchronised = KernelClock.Synchronised(),
                SyncDaemons = [.. processes.Select(p => p.Name).Where(SyncDaemons.Contains).Distinct()],
                Peers = peerClocks,
            },
            InstalledPackages = await InstalledPackagesAsync(packages, cancellationToken).ConfigureAwait(false),
            RequiredPackages = packages,
            Kernel = new KernelFacts
            {
                FuseDevice = File.Exists("/dev/fuse"),
                LoopControl = File.Exists("/dev/loop-control"),
                FuseFilesystem = File.Exists("/proc/filesystems") && File.ReadAllText("/proc/filesystems").Contains("\tfuse\n", StringComparison.Ordinal),
            },
            RequiredPorts = RequiredPorts(spec, self, request.Paths),
            BoundPorts = BoundPorts(processes),
            Firewall = ruleset,
            FirewallError = firewallError,
            SystemdBooted = Directory.Exists("/run/systemd/system"),
            EnabledUnits = EnabledUnits(),
            RunningProcesses = [.. processes.Select(p => p.Name).Distinct()],
        };
    }

    private static async Task<PeerClock> MeasureAsync(IcmpClockProbe probe, string peer, IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            return await probe.MeasureAsync(peer, address, samples: 5, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new PeerClock(peer, null, null, $"cannot open a raw ICMP socket ({e.Message}; run as root)");
        }
    }

    private static async Task<NameResolution> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new NameResolution(name, [], new Dictionary<IPAddress, string?>()) { Error = e.Message };
        }
        var reverse = new Dictionary<IPAddress, string?>();
        foreach (var address in addresses.Distinct())
        {
            try
            {
                var entry = await Dns.GetHostEntryAsync(address).ConfigureAwait(false);
                reverse[address] = entry.HostName;
            }
            catch (SocketException)
            {
                reverse[address] = null;
            }
        }
        // IPv4 first: corosync's knet and the lab use IPv4, and the order of getaddrinfo varies.
        return new NameResolution(name, [.. addresses.Distinct().OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)], reverse);
    }

    private static List<IPAddress> LocalAddresses() =>
        [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address)];

    private static List<RequiredPort> RequiredPorts(ClusterSpec? spec, string self, ClusterPaths paths)
    {
        var ports = new List<RequiredPort>
        {
            new("udp", ClusterSpec.CorosyncPort, "corosync", "corosync"),
            new("tcp", spec?.EndpointPort ?? ClusterSpec.DefaultEndpointPort, "Tandem endpoint", "tandem"),
        };
        if (Directory.Exists(paths.VolumesDir))
        {
            foreach (var file in Directory.GetFiles(paths.VolumesDir, "*" + DefinitionFile.Extension).Order(StringComparer.Ordinal))
            {
                try
                {
                    var volume = DefinitionFile.Load(file);
                    if (volume.Replicas.FirstOrDefault(r => NameChecks.SameNode(r.Node, self)) is { } replica)
                    {
                        ports.Add(new RequiredPort("tcp", replica.Port, $"volume {volume.Name}", "tandem"));
                    }
                }
                catch (VolumeDefinitionException)
                {
                    // 'tandem volume validate' reports broken definitions; the doctor checks ports it can read.
                }
            }
        }
        return ports;
    }

    private sealed record ProcessInfo(int Pid, string Name);

    private static List<ProcessInfo> Processes()
    {
        var list = new List<ProcessInfo>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    list.Add(new ProcessInfo(pid, File.ReadAllText(Path.Combine(dir, "comm")).Trim()));
                }
                catch (IOException)
                {
                    // Exited meanwhile.
                }
            }
        }
        return list;
    }

    private static List<BoundPort> BoundPorts(List<ProcessInfo> processes)
    {
        var owners = new Dictionary<long, string>();
        foreach (var process in processes)
        {
            try
            {
                foreach (var fd in Directory.GetFiles($"/proc/{process.Pid}/fd"))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target[8..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                    {
                        owners.TryAdd(inode, process.Name);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile, or not ours to see.
            }
        }
        var bound = new List<BoundPort>();
        foreach (var (protocol, file) in new[] { ("tcp", "tcp"), ("tcp", "tcp6"), ("udp", "udp"), ("udp", "udp6") })
        {
            var path = $"/proc/net/{file}";
            if (File.Exists(path))
            {
                bound.AddRange(ProcNet.Parse(protocol, File.ReadAllText(path)).Select(s => new BoundPort(protocol, s.Address, s.Port, owners.GetValueOrDefault(s.Inode))));
            }
        }
        return bound;
    }

    private static List<string> EnabledUnits()
    {
        const string etc = "/etc/systemd/system";
        if (!Directory.Exists(etc))
        {
            return [];
        }
        return [.. Directory.GetDirectories(etc, "*.wants").SelectMany(Directory.GetFileSystemEntries).Select(Path.GetFileName).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }

    private static async Task<IReadOnlyDictionary<string, string?>?> InstalledPackagesAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var result = await RunAsync("dpkg-query", ["-W", "-f=${Package}\t${db:Status-Abbrev}\t${Version}\n", .. packages], cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return null;
        }
        var installed = packages.ToDictionary(p => p, _ => (string?)null, StringComparer.Ordinal);
        foreach (var line in result.Value.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 3 && fields[1].StartsWith("ii", StringComparison.Ordinal))
            {
                installed[fields[0].Split(':')[0]] = fields[2];
            }
        }
        return installed;
    }

    private static async Task<(NftRuleset?, string?)> ReadFirewallAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync("nft", ["-j", "list", "ruleset"], cancellationToken).ConfigureAwait(false);
        if (result is not { } r)
        {
            return (null, "nft is not installed (iptables-legacy rules are not checked)");
        }
        if (r.ExitCode != 0)
        {
            return (null, $"nft failed: {r.Error.Trim()}");
        }
        try
        {
            return (r.Output.Trim().Length == 0 ? NftRuleset.Empty : NftRuleset.Parse(r.Output), null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Runs a tool and captures its output; null when the tool is not installed.</summary>
    private static async Task<(int ExitCode, string Output, string Error)?> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DeploymentException($"cannot start {file}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}
