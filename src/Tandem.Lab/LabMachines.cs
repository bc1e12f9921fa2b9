using System.Diagnostics;
using System.Globalization;

namespace Tandem.Lab;

/// <summary>
/// Boots and powers off the lab's machines. A machine is a network namespace with a veth cable to the
/// lab's switch, plus a holder process that is pid 1 of its own pid, mount and UTS namespaces. The holder
/// gives the machine private /run, /dev/shm, /dev/tandem, /tmp, /etc/corosync, /var/lib/corosync, /var/lib/tandem,
/// /etc/tandem and /var/log/tandem, and its own copy of the lab's hosts file; every process of the machine runs under it,
/// so killing the holder powers the machine off at once (the kernel kills a pid namespace with its init).
/// </summary>
public sealed class LabMachines(LabLayout layout, Action<string> progress)
{
    /// <summary>Directories bound over the host's, per machine (host mount point, machine sub-directory).</summary>
    private static readonly (string MountPoint, string Dir)[] PrivateDirs =
    [
        ("/etc/corosync", "etc-corosync"),
        ("/var/lib/corosync", "var-lib-corosync"),
        ("/var/lib/tandem", "var-lib-tandem"),
        ("/etc/tandem", "etc-tandem"),
        ("/var/log/tandem", "log"),
    ];

    // Runs as pid 1 of the machine: private mounts, then a shell that reaps orphans forever.
    private const string HolderScript = """
        set -e
        hostname "$1"
        d="$2"
        mount --bind "$d/etc-corosync" /etc/corosync
        mount --bind "$d/var-lib-corosync" /var/lib/corosync
        mount --bind "$d/var-lib-tandem" /var/lib/tandem
        mount --bind "$d/etc-tandem" /etc/tandem
        mount --bind "$d/log" /var/log/tandem
        mount --bind "$3" /etc/hosts
        mount -t tmpfs -o mode=0755,size=256m tmpfs /run
        mkdir -p /run/tandem /run/lock /run/corosync-qdevice /run/corosync-qnetd
        mkdir -p -m 1755 /run/resource-agents
        if [ -d "$4" ]; then mkdir -p /run/tandem-lab; mount --bind "$4" /run/tandem-lab; fi
        shift 4
        # The scenario's own private directories, as pairs: machine sub-directory, mount point.
        while [ $# -ge 2 ]; do mount --bind "$d/$1" "$2"; shift 2; done
        mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm
        mount -t tmpfs -o mode=1777,size=1g tmpfs /tmp
        mount -t tmpfs -o mode=0755,size=1m tmpfs /dev/tandem
        touch /run/.lab-ready
        exec bash -c 'trap "" TERM INT HUP; while :; do sleep 3600 & wait; done'
        """;

    /// <summary>The environment of processes started inside a machine: clean, like a service manager's.</summary>
    private static IEnumerable<string> MachineEnvironment()
    {
        yield return "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        yield return "HOME=/root";
        yield return "LANG=C.UTF-8";
        // A daemon that must fence itself powers its node off through the lab's power switch.
        yield return "TANDEM_SELF_FENCE_COMMAND=printf 'action=off\\nport=%s\\n' \"$(hostname)\" | /usr/sbin/fence_tandemlab";
        foreach (var name in new[] { "DOTNET_ROOT", "TANDEM_DEBUG" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                yield return $"{name}={value}";
            }
        }
    }

    public static void EnsureHostMountPoints(IEnumerable<(string MountPoint, string Dir)>? scenarioDirs = null)
    {
        foreach (var (mountPoint, _) in PrivateDirs.Concat(scenarioDirs ?? []))
        {
            Directory.CreateDirectory(mountPoint);
        }
        // Each node publishes its volumes' devices under its own /dev/tandem.
        Directory.CreateDirectory("/dev/tandem");
    }

    public async Task CreateSwitchAsync(CancellationToken cancellationToken)
    {
        var sw = layout.SwitchNamespace;
        await Ip(cancellationToken, "netns", "add", sw).ConfigureAwait(false);
        await Ip(cancellationToken, "-n", sw, "link", "set", "lo", "up").ConfigureAwait(false);
        await Ip(cancellationToken, "-n", sw, "link", "add", "br0", "type", "bridge").ConfigureAwait(false);
        await Ip(cancellationToken, "-n", sw, "link", "set", "br0", "up").ConfigureAwait(false);
    }

    /// <summary>Creates a machine's network namespace and plugs its eth0 into the switch.</summary>
    public async Task CreateNetworkAsync(string netns, string port, string address, CancellationToken cancellationToken)
    {
        var sw = layout.SwitchNamespace;
        await Ip(cancellationToken, "netns", "add", netns).ConfigureAwait(false);
        // The kernel destroys a powered-off machine's namespace, and with it the cable's far end, in the
        // background: a machine booted right after its power-off can find its old port still there.
        var stale = await HostCommand.RunAsync("ip", ["-n", sw, "link", "show", port], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (stale.Succeeded)
        {
            await Ip(cancellationToken, "-n", sw, "link", "del", port).ConfigureAwait(false);
        }
        await Ip(cancellationToken, "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", netns).ConfigureAwait(false);
        await Ip(cancellationToken, "-n", sw, "link", "set", port, "master", "br0", "up").ConfigureAwait(false);
        await Ip(cancellationToken, "-n", netns, "link", "set", "lo", "up").ConfigureAwait(false);
        await Ip(cancellationToken, "-n", netns, "addr", "add", $"{address}/{LabLayout.PrefixLength}", "dev", "eth0").ConfigureAwait(false);
        await Ip(cancellationToken, "-n", netns, "link", "set", "eth0", "up").ConfigureAwait(false);
    }

    public static void CreateMachineDirs(string machineDir, IEnumerable<(string MountPoint, string Dir)>? scenarioDirs = null)
    {
        foreach (var (_, dir) in PrivateDirs.Concat(scenarioDirs ?? []))
        {
            Directory.CreateDirectory(Path.Combine(machineDir, dir));
        }
    }

    /// <summary>Boots a machine: network, holder with private mounts; returns when its mounts are ready.</summary>
    public async Task BootAsync(LabMachine machine, string netns, CancellationToken cancellationToken, IReadOnlyList<(string MountPoint, string Dir)>? scenarioDirs = null)
    {
        progress($"booting {machine.Name}");
        var machineDir = layout.MachineDir(machine.Name);
        scenarioDirs ??= [];
        CreateMachineDirs(machineDir, scenarioDirs);
        var hosts = layout.MachineHostsFile(machine.Name);
        File.Copy(layout.HostsFile, hosts, overwrite: true);
        await CreateNetworkAsync(netns, LabLayout.SwitchPort(machine.Name, machine.Index), machine.Address, cancellationToken).ConfigureAwait(false);
        var launcher = HostCommand.StartDetached(
            "ip",
            ["netns", "exec", netns, "unshare", "--pid", "--fork", "--mount-proc", "--mount", "--uts", "--propagation", "private",
             "bash", "-c", HolderScript, "holder", machine.Name, machineDir, hosts, LabPowerSwitch.Directory(layout),
             .. scenarioDirs.SelectMany(s => new[] { s.Dir, s.MountPoint })],
            Path.Combine(layout.LogDir(machine.Name), "holder.log"));
        machine.Holder = await FindHolderAsync(launcher, machine.Name, cancellationToken).ConfigureAwait(false);
        machine.Powered = true;
        machine.Cut = false;
        var ready = $"/proc/{machine.Holder.Value.Pid}/root/run/.lab-ready";
        await WaitUntilAsync(() => File.Exists(ready), TimeSpan.FromSeconds(10), $"{machine.Name} did not finish mounting its private directories (see {layout.LogDir(machine.Name)}/holder.log)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The holder is the child that `unshare --fork` starts: pid 1 of the machine's pid namespace.</summary>
    private static async Task<ProcessIdentity> FindHolderAsync(int launcherPid, string machine, CancellationToken cancellationToken)
    {
        var launcher = ProcessIdentity.TryRead(launcherPid);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (launcher is { } l && l.Children() is [var child, ..] && ProcessIdentity.TryRead(child) is { } holder)
            {
                return holder;
            }
            launcher ??= ProcessIdentity.TryRead(launcherPid);
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        throw new LabException($"the holder of {machine} did not start");
    }

    /// <summary>Powers a machine off: SIGKILL to its pid 1 ends every process in it at once; the network goes with it.</summary>
    public async Task PowerOffAsync(LabMachine machine, string netns, CancellationToken cancellationToken)
    {
        if (machine.Holder is { } holder && holder.IsAlive)
        {
            Kill(holder.Pid);
            await WaitUntilAsync(() => !holder.IsAlive, TimeSpan.FromSeconds(10), $"{machine.Name} did not power off", cancellationToken).ConfigureAwait(false);
        }
        machine.Holder = null;
        machine.Powered = false;
        await DeleteNamespaceAsync(netns, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a network namespace after killing any process still inside it (found by namespace, never by name).</summary>
    public async Task DeleteNamespaceAsync(string netns, CancellationToken cancellationToken)
    {
        if (!File.Exists($"/run/netns/{netns}"))
        {
            return;
        }
        var pids = await HostCommand.RunAsync("ip", ["netns", "pids", netns], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                Kill(pid);
            }
        }
        await Ip(cancellationToken, "netns", "del", netns).ConfigureAwait(false);
    }

    /// <summary>Pulls or plugs a machine's network cable at the switch.</summary>
    public Task SetCableAsync(LabMachine machine, bool connected, CancellationToken cancellationToken) =>
        Ip(cancellationToken, "-n", layout.SwitchNamespace, "link", "set", LabLayout.SwitchPort(machine.Name, machine.Index), connected ? "up" : "down");

    /// <summary>Starts a long-running service inside a machine, detached, its output appended to /var/log/tandem/LOG.</summary>
    public async Task StartServiceAsync(LabMachine machine, string logName, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var holder = RequireHolder(machine);
        string[] arguments =
        [
            "-t", holder.Pid.ToString(CultureInfo.InvariantCulture), "-n", "-m", "-u", "-p", "--wd=/",
            "--", "setsid", "-f", "env", "-i", .. MachineEnvironment(),
            "bash", "-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "service", $"/var/log/tandem/{logName}",
            .. command,
        ];
        var launcher = HostCommand.StartDetached("nsenter", arguments);
        await WaitUntilAsync(() => ProcessIdentity.TryRead(launcher) is null, TimeSpan.FromSeconds(10), $"could not start {command[0]} on {machine.Name}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command inside a machine to completion, capturing its output.</summary>
    public async Task<CommandResult> RunAsync(LabMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var holder = RequireHolder(machine);
        string[] arguments = ["-t", holder.Pid.ToString(CultureInfo.InvariantCulture), "-n", "-m", "-u", "-p", "--wd=/", "--", "env", "-i", .. MachineEnvironment(), .. command];
        return await HostCommand.RunAsync("nsenter", arguments, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command inside a machine with the caller's terminal; returns its exit code.</summary>
    public static async Task<int> ExecInteractiveAsync(LabMachine machine, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var holder = RequireHolder(machine);
        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
        foreach (var argument in (string[])["-t", holder.Pid.ToString(CultureInfo.InvariantCulture), "-n", "-m", "-u", "-p", "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new LabException("cannot start nsenter");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static ProcessIdentity RequireHolder(LabMachine machine) =>
        machine.Holder is { IsAlive: true } holder
            ? holder
            : throw new LabException($"{machine.Name} is powered off (start it with 'tandem lab start {machine.Name}')");

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }

    private static Task Ip(CancellationToken cancellationToken, params string[] arguments) =>
        HostCommand.CheckAsync("ip", arguments, TimeSpan.FromSeconds(15), cancellationToken);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new LabException(failure);
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
