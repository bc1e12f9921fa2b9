using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tandem.Lab;

namespace Tandem.Corosync.Tests.Lab;

/// <summary>
/// Two nodes, astapor and braavos, each a namespace set of the lab (network, mount, UTS, pid; private /run,
/// /dev/shm, /etc/corosync, /var/lib/corosync) on a private switch, running real corosync (knet, crypto,
/// two_node, token 1000 ms) and nothing else: the bus binding is tested alone, without Tandem's daemon.
/// Built with the lab's machinery under a unique name; everything is removed by pid and by namespace
/// afterwards, also when building fails half-way.
/// </summary>
public sealed class CorosyncLab : IAsyncLifetime
{
    public const int TokenMs = 1000;

    private static readonly string[] NodeNames = ["astapor", "braavos"];

    private readonly List<LabMachine> _nodes = [];
    private LabLayout? _layout;
    private LabMachines? _machines;

    public string ClusterName { get; private set; } = "";

    public LabLayout Layout => _layout ?? throw new InvalidOperationException("the lab is not up");

    public LabMachines Machines => _machines ?? throw new InvalidOperationException("the lab is not up");

    public LabMachine Node(string name) => _nodes.Single(n => n.Name == name);

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the corosync lab tests need root (namespaces, mounts); run them as root or filter out Category=Lab");
        }
        var name = "cb" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        _layout = new LabLayout(name);
        _machines = new LabMachines(_layout, _ => { });
        ClusterName = $"lab-{name}";
        try
        {
            await BuildAsync().ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task BuildAsync()
    {
        Directory.CreateDirectory(Layout.Root);
        LabMachines.EnsureHostMountPoints();
        for (var i = 0; i < NodeNames.Length; i++)
        {
            _nodes.Add(new LabMachine { Name = NodeNames[i], Index = i + 1, NodeId = (uint)(i + 1), Address = LabLayout.NodeAddress(i + 1) });
        }
        var hosts = new StringBuilder("127.0.0.1 localhost\n");
        foreach (var node in _nodes)
        {
            hosts.Append(CultureInfo.InvariantCulture, $"{node.Address} {node.Name}\n");
        }
        await File.WriteAllTextAsync(Layout.HostsFile, hosts.ToString()).ConfigureAwait(false);
        var config = new CorosyncConfig(ClusterName, [.. _nodes.Select(n => new CorosyncNode(n.NodeId, n.Name, n.Address))], QuorumMode.TwoNode)
        {
            TokenMs = TokenMs,
        };
        var authkey = RandomNumberGenerator.GetBytes(256);

        await Machines.CreateSwitchAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            await Machines.BootAsync(node, Layout.NodeNamespace(node.Name), CancellationToken.None).ConfigureAwait(false);
            var etc = Path.Combine(Layout.MachineDir(node.Name), "etc-corosync");
            await File.WriteAllTextAsync(Path.Combine(etc, "corosync.conf"), config.Render()).ConfigureAwait(false);
            var key = Path.Combine(etc, "authkey");
            await File.WriteAllBytesAsync(key, authkey).ConfigureAwait(false);
            File.SetUnixFileMode(key, UnixFileMode.UserRead);
            await StartCorosyncAsync(node).ConfigureAwait(false);
        }
    }

    /// <summary>Starts corosync in the node and returns when it answers on its IPC.</summary>
    public async Task StartCorosyncAsync(LabMachine node)
    {
        await Machines.StartServiceAsync(node, "corosync.log", ["corosync", "-f"], CancellationToken.None).ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var result = await Machines.RunAsync(node, ["corosync-cmapctl", "-g", "totem.cluster_name"], TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return;
            }
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"corosync did not start on {node.Name}: {result.FirstErrorLine} (log: {Layout.LogDir(node.Name)}/corosync.log)");
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the node's corosync with SIGKILL (found by the node's pid namespace, never by name alone).</summary>
    public async Task KillCorosyncAsync(LabMachine node)
    {
        var pids = ProcessesOf(node, "corosync");
        if (pids.Count == 0)
        {
            throw new InvalidOperationException($"no corosync runs on {node.Name}");
        }
        foreach (var pid in pids)
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Host pids of the node's processes named <paramref name="command"/> (those in the node's pid namespace).</summary>
    public static IReadOnlyList<int> ProcessesOf(LabMachine node, string command)
    {
        var holder = node.Holder ?? throw new InvalidOperationException($"{node.Name} is powered off");
        var namespaceLink = PidNamespace(holder.Pid);
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                if (PidNamespace(pid) == namespaceLink && File.ReadAllText($"{dir}/comm").Trim() == command)
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to look at.
            }
        }
        return pids;
    }

    private static string? PidNamespace(int pid) => new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;

    public async Task DisposeAsync()
    {
        if (_layout is null || _machines is null)
        {
            return;
        }
        foreach (var node in _nodes)
        {
            await _machines.PowerOffAsync(node, _layout.NodeNamespace(node.Name), CancellationToken.None).ConfigureAwait(false);
        }
        // Any namespace of this lab left by a half-built node, the switch last.
        if (Directory.Exists("/run/netns"))
        {
            var mine = Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>()
                .Where(n => n.StartsWith(_layout.NamespacePrefix, StringComparison.Ordinal))
                .OrderBy(n => n == _layout.SwitchNamespace ? 1 : 0);
            foreach (var netns in mine)
            {
                await _machines.DeleteNamespaceAsync(netns, CancellationToken.None).ConfigureAwait(false);
            }
        }
        if (Directory.Exists(_layout.Root))
        {
            Directory.Delete(_layout.Root, recursive: true);
        }
    }
}
