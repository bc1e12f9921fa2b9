using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tandem.Corosync;

namespace Tandem.Lab;

/// <summary>
/// The operations of `tandem lab`: build a cluster of machines on this host, run commands in them,
/// inject faults, tear everything down. Mutating operations hold the lab's lock file, so two commands
/// never change one lab at the same time.
/// </summary>
public sealed class LabController
{
    public static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(90);

    private readonly LabLayout _layout;
    private readonly Action<string> _progress;
    private readonly LabMachines _machines;

    public LabController(string name, Action<string>? progress = null)
    {
        LabOptions.ValidateName(name);
        _layout = new LabLayout(name);
        _progress = progress ?? (_ => { });
        _machines = new LabMachines(_layout, _progress);
    }

    public LabLayout Layout => _layout;

    public static IReadOnlyList<LabState> List()
    {
        if (!Directory.Exists(LabLayout.StateRoot))
        {
            return [];
        }
        return [.. Directory.GetDirectories(LabLayout.StateRoot)
            .Select(d => LabState.TryLoad(new LabLayout(Path.GetFileName(d))))
            .OfType<LabState>()
            .OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public LabState Load() => LabState.Load(_layout);

    public async Task<LabState> UpAsync(LabOptions options, string tandemPath, CancellationToken cancellationToken)
    {
        options.Validate();
        if (options.Name != _layout.Name)
        {
            throw new ArgumentException("options name a different lab", nameof(options));
        }
        if (LabState.TryLoad(_layout) is { } existing && existing.Nodes.Any(n => n.Holder is { IsAlive: true }))
        {
            throw new LabException($"lab '{_layout.Name}' is already up (tear it down with 'tandem lab down --name {_layout.Name}')");
        }
        await DownAsync(cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(_layout.Root);
        using var labLock = AcquireLock();

        var state = new LabState
        {
            Name = options.Name,
            Quorum = options.Quorum,
            TokenMs = options.TokenMs,
            Bare = options.Bare,
            Scenario = options.Scenario,
            TandemPath = tandemPath,
            CreatedAt = DateTimeOffset.UtcNow,
            Nodes = [.. options.Nodes.Select((n, i) => new LabMachine { Name = n, Index = i + 1, NodeId = (uint)(i + 1), Address = LabLayout.NodeAddress(i + 1) })],
            Arbiter = options.Quorum == QuorumMode.QDevice
                ? new LabMachine { Name = "arbiter", Index = 0, Address = LabLayout.ArbiterAddress }
                : null,
        };
        state.Save(_layout);
        LabMachines.EnsureHostMountPoints(state.ScenarioDirs());
        try
        {
            WriteClusterFiles(state);
            LabPowerSwitch.Prepare(_layout);
            var powerSwitch = HostCommand.StartDetached(tandemPath, ["lab", "power-switch", "--name", state.Name], Path.Combine(LabPowerSwitch.Directory(_layout), "power-switch.log"));
            state.PowerSwitch = ProcessIdentity.TryRead(powerSwitch);
            state.Save(_layout);
            _progress($"switch and client network of lab '{state.Name}'");
            await _machines.CreateSwitchAsync(cancellationToken).ConfigureAwait(false);
            await _machines.CreateNetworkAsync(_layout.ClientNamespace, LabLayout.SwitchPort("client", 0), LabLayout.ClientAddress, cancellationToken).ConfigureAwait(false);
            if (state.Arbiter is { } arbiter)
            {
                await _machines.BootAsync(arbiter, _layout.ArbiterNamespace, cancellationToken).ConfigureAwait(false);
                state.Save(_layout);
                await _machines.StartServiceAsync(arbiter, "qnetd.log", ["corosync-qnetd", "-f", "-s", "off"], cancellationToken).ConfigureAwait(false);
            }
            foreach (var node in state.Nodes)
            {
                await BootNodeAsync(state, node, cancellationToken).ConfigureAwait(false);
            }
            if (!state.Bare)
            {
                await WaitConvergedAsync(state, cancellationToken).ConfigureAwait(false);
            }
            if (state.Scenario == MailScenario.Name)
            {
                await MailScenario.SetUpAsync(this, state, _progress, cancellationToken).ConfigureAwait(false);
            }
            return state;
        }
        catch
        {
            _progress("lab did not come up; removing what was made");
            await TearDownAsync(state, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes everything the lab made: processes (by pid and by namespace), namespaces, state.</summary>
    public async Task DownAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_layout.Root))
        {
            await RemoveNamespacesAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        LabState? state;
        using (AcquireLock())
        {
            state = LabState.TryLoad(_layout);
        }
        await TearDownAsync(state, cancellationToken).ConfigureAwait(false);
    }

    private async Task TearDownAsync(LabState? state, CancellationToken cancellationToken)
    {
        if (state?.PowerSwitch is { IsAlive: true } powerSwitch)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(powerSwitch.Pid);
                process.Kill();
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // It ended by itself meanwhile.
            }
        }
        foreach (var machine in state?.Nodes ?? [])
        {
            await _machines.PowerOffAsync(machine, _layout.NodeNamespace(machine.Name), cancellationToken).ConfigureAwait(false);
        }
        if (state?.Arbiter is { } arbiter)
        {
            await _machines.PowerOffAsync(arbiter, _layout.ArbiterNamespace, cancellationToken).ConfigureAwait(false);
        }
        await RemoveNamespacesAsync(cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(_layout.Root))
        {
            Directory.Delete(_layout.Root, recursive: true);
        }
    }

    /// <summary>Every namespace with this lab's prefix, including ones a crashed `lab up` did not record.</summary>
    private async Task RemoveNamespacesAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists("/run/netns"))
        {
            return;
        }
        var mine = Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>()
            .Where(n => n.StartsWith(_layout.NamespacePrefix, StringComparison.Ordinal))
            .OrderBy(n => n == _layout.SwitchNamespace ? 1 : 0);
        foreach (var netns in mine)
        {
            await _machines.DeleteNamespaceAsync(netns, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command in a node with the caller's terminal (`tandem lab exec NODE -- CMD`).</summary>
    public Task<int> ExecAsync(string node, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        LabMachines.ExecInteractiveAsync(Load().Node(node), RequireCommand(command), cancellationToken);

    /// <summary>Runs a command in a node and captures its output (for tests and benchmarks).</summary>
    public Task<CommandResult> RunAsync(string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machines.RunAsync(Load().Node(node), RequireCommand(command), timeout, cancellationToken);

    /// <summary>Runs a command in the client namespace and captures its output (for tests and benchmarks).</summary>
    public Task<CommandResult> RunClientAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Load();
        return HostCommand.RunAsync("ip", ["netns", "exec", _layout.ClientNamespace, .. RequireCommand(command)], timeout, cancellationToken);
    }

    /// <summary>Runs a command in the client namespace, which reaches the nodes only through the switch.</summary>
    public async Task<int> ClientAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        Load();
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in (string[])["netns", "exec", _layout.ClientNamespace, .. RequireCommand(command)])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new LabException("cannot start ip");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Power off: every process of the node ends at once, its network disappears.</summary>
    public async Task KillAsync(string node, CancellationToken cancellationToken)
    {
        using var labLock = AcquireLock();
        var state = Load();
        var machine = state.Node(node);
        if (!machine.Powered)
        {
            throw new LabException($"{node} is already powered off");
        }
        await _machines.PowerOffAsync(machine, _layout.NodeNamespace(node), cancellationToken).ConfigureAwait(false);
        state.Save(_layout);
    }

    /// <summary>Boot a powered-off node again; returns when it has rejoined the nodes it can reach.</summary>
    public async Task StartAsync(string node, CancellationToken cancellationToken)
    {
        LabState state;
        using (AcquireLock())
        {
            state = Load();
            var machine = state.Node(node);
            if (machine.Powered)
            {
                throw new LabException($"{node} is already running");
            }
            await BootNodeAsync(state, machine, cancellationToken).ConfigureAwait(false);
        }
        if (!state.Bare)
        {
            await WaitConvergedAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Boots a powered-off node without waiting for it to rejoin (the power switch's "on").</summary>
    public async Task BootAsync(string node, CancellationToken cancellationToken)
    {
        using var labLock = AcquireLock();
        var state = Load();
        var machine = state.Node(node);
        if (!machine.Powered)
        {
            await BootNodeAsync(state, machine, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Network cable out (cut) or in (heal) at the switch.</summary>
    public async Task SetCableAsync(string node, bool connected, bool wait, CancellationToken cancellationToken)
    {
        LabState state;
        using (AcquireLock())
        {
            state = Load();
            var machine = state.Node(node);
            if (!machine.Powered)
            {
                throw new LabException($"{node} is powered off");
            }
            await _machines.SetCableAsync(machine, connected, cancellationToken).ConfigureAwait(false);
            machine.Cut = !connected;
            state.Save(_layout);
        }
        if (wait && !state.Bare)
        {
            await WaitConvergedAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until every powered node's daemon sees exactly the nodes it can reach (all connected
    /// nodes together, a cut node alone) and the nodes of each partition agree on the coordinator.
    /// </summary>
    public async Task WaitConvergedAsync(LabState state, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var lastProblem = "no status yet";
        while (stopwatch.Elapsed < FormationTimeout)
        {
            lastProblem = await CheckConvergedAsync(state, cancellationToken).ConfigureAwait(false) ?? "";
            if (lastProblem.Length == 0)
            {
                return;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new LabException($"the cluster did not form within {FormationTimeout.TotalSeconds:0} s: {lastProblem} (logs in {_layout.Root}/machines/*/log)");
    }

    private async Task<string?> CheckConvergedAsync(LabState state, CancellationToken cancellationToken)
    {
        var powered = state.Nodes.Where(n => n.Powered).ToList();
        var connected = powered.Where(n => !n.Cut).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var coordinators = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var node in powered)
        {
            CommandResult result;
            try
            {
                result = await _machines.RunAsync(node, [state.TandemPath, "status", "--json"], TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                // A slow answer on a busy machine is not yet an answer; the formation timeout decides.
                return $"{node.Name}: {e.Message}";
            }
            if (!result.Succeeded)
            {
                return $"{node.Name}: {result.FirstErrorLine}";
            }
            var status = LabStatusView.Parse(result.StandardOutput);
            var expected = node.Cut ? new HashSet<string>(StringComparer.Ordinal) { node.Name } : connected;
            if (!status.Online.SetEquals(expected))
            {
                return $"{node.Name} sees [{string.Join(' ', status.Online.Order(StringComparer.Ordinal))}], expected [{string.Join(' ', expected.Order(StringComparer.Ordinal))}]";
            }
            coordinators[node.Name] = status.Coordinator;
        }
        var group = powered.Where(n => !n.Cut).Select(n => coordinators[n.Name]).Distinct().ToList();
        return group.Count > 1 ? $"connected nodes disagree on the coordinator ({string.Join(", ", group)})" : null;
    }

    private async Task BootNodeAsync(LabState state, LabMachine node, CancellationToken cancellationToken)
    {
        var netns = _layout.NodeNamespace(node.Name);
        await _machines.DeleteNamespaceAsync(netns, cancellationToken).ConfigureAwait(false);
        if (state.Scenario == MailScenario.Name)
        {
            MailScenario.PrepareMachine(_layout.MachineDir(node.Name), state.TandemPath);
        }
        await _machines.BootAsync(node, netns, cancellationToken, state.ScenarioDirs()).ConfigureAwait(false);
        state.Save(_layout);
        if (state.Bare)
        {
            // A fresh server: whatever runs on it later is started by `tandem cluster setup/join/start`.
            return;
        }
        InstallClusterFiles(node);
        await _machines.StartServiceAsync(node, "corosync.log", ["corosync", "-f"], cancellationToken).ConfigureAwait(false);
        await WaitForCorosyncAsync(node, cancellationToken).ConfigureAwait(false);
        if (state.Quorum == QuorumMode.QDevice)
        {
            await _machines.StartServiceAsync(node, "qdevice.log", ["corosync-qdevice", "-f"], cancellationToken).ConfigureAwait(false);
        }
        await _machines.StartServiceAsync(node, "daemon.log", [state.TandemPath, "daemon"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file holding the scenario's cluster configuration (crm-like text).</summary>
    public string MailConfigurationFile => Path.Combine(_layout.Root, "mail.crm");

    private async Task WaitForCorosyncAsync(LabMachine node, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            var result = await _machines.RunAsync(node, ["corosync-cmapctl", "-g", "totem.cluster_name"], TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return;
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        throw new LabException($"corosync did not start on {node.Name} (see {_layout.LogDir(node.Name)}/corosync.log)");
    }

    /// <summary>The hosts file, and unless the lab is bare, corosync.conf and authkey shared by the lab's machines.</summary>
    private void WriteClusterFiles(LabState state)
    {
        var hosts = new StringBuilder("127.0.0.1 localhost\n");
        hosts.Append($"{LabLayout.ClientAddress} client\n");
        if (state.Arbiter is { } arbiter)
        {
            hosts.Append($"{arbiter.Address} arbiter\n");
        }
        foreach (var node in state.Nodes)
        {
            hosts.Append($"{node.Address} {node.Name}\n");
        }
        File.WriteAllText(_layout.HostsFile, hosts.ToString());
        if (state.Bare)
        {
            return;
        }

        var config = new CorosyncConfig(
            $"lab-{state.Name}",
            [.. state.Nodes.Select(n => new CorosyncNode(n.NodeId, n.Name, n.Address))],
            state.Quorum)
        {
            TokenMs = state.TokenMs ?? CorosyncConfig.LanProfileTokenMs,
            QDeviceHost = state.Arbiter?.Address,
            // qnetd runs in a namespace of this machine; TLS would only add certificate set-up to the lab.
            QDeviceTls = false,
        };
        File.WriteAllText(_layout.CorosyncConfFile, config.Render());
        File.WriteAllBytes(_layout.AuthKeyFile, RandomNumberGenerator.GetBytes(256));
        File.SetUnixFileMode(_layout.AuthKeyFile, UnixFileMode.UserRead);
    }

    private void InstallClusterFiles(LabMachine node)
    {
        var etc = Path.Combine(_layout.MachineDir(node.Name), "etc-corosync");
        File.Copy(_layout.CorosyncConfFile, Path.Combine(etc, "corosync.conf"), overwrite: true);
        var key = Path.Combine(etc, "authkey");
        if (File.Exists(key))
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Copy(_layout.AuthKeyFile, key, overwrite: true);
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
    }

    private static IReadOnlyList<string> RequireCommand(IReadOnlyList<string> command) =>
        command.Count > 0 ? command : throw new LabException("no command given (put it after '--')");

    private FileStream AcquireLock()
    {
        Directory.CreateDirectory(_layout.Root);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(_layout.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(120))
            {
                Thread.Sleep(50);
            }
        }
    }
}
