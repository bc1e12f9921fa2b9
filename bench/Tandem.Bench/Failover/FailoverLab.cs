using System.Diagnostics;
using System.Security.Cryptography;
using Tandem.Corosync;
using Tandem.Lab;

namespace Tandem.Bench.Failover;

/// <summary>
/// A bare two-node lab (machines only) in which the benchmark starts corosync itself with one
/// corosync.conf for both stacks (Tandem's generator, Tandem's default profile unless a token is asked
/// for), then the stack under test. Powering a node off is the lab's: SIGKILL of the node's pid 1 ends
/// every process of the node, Pacemaker's daemons included.
/// </summary>
public sealed class FailoverLab
{
    public static readonly string[] NodeNames = ["astapor", "braavos"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, string> _macs = new(StringComparer.Ordinal);

    private FailoverLab(LabController controller, string corosyncConf)
    {
        Controller = controller;
        CorosyncConf = corosyncConf;
    }

    public LabController Controller { get; }

    public LabLayout Layout => Controller.Layout;

    /// <summary>The corosync.conf every node of both stacks runs with.</summary>
    public string CorosyncConf { get; }

    public static async Task<FailoverLab> UpAsync(string name, string tandemPath, int tokenMs)
    {
        var controller = new LabController(name, m => Console.Error.WriteLine($"lab: {m}"));
        await controller.UpAsync(new LabOptions(name, NodeNames, QuorumMode.TwoNode) { Bare = true }, tandemPath, CancellationToken.None).ConfigureAwait(false);
        var state = controller.Load();
        var conf = new CorosyncConfig($"lab-{name}", [.. state.Nodes.Select(n => new CorosyncNode(n.NodeId, n.Name, n.Address))], QuorumMode.TwoNode) { TokenMs = tokenMs }.Render();
        var key = RandomNumberGenerator.GetBytes(256);
        foreach (var node in NodeNames)
        {
            var etc = Path.Combine(controller.Layout.MachineDir(node), "etc-corosync");
            await File.WriteAllTextAsync(Path.Combine(etc, "corosync.conf"), conf).ConfigureAwait(false);
            var keyFile = Path.Combine(etc, "authkey");
            await File.WriteAllBytesAsync(keyFile, key).ConfigureAwait(false);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead);
        }
        var lab = new FailoverLab(controller, conf);
        foreach (var node in NodeNames)
        {
            await lab.ReadMacAsync(node).ConfigureAwait(false);
        }
        return lab;
    }

    public Task DownAsync() => Controller.DownAsync(CancellationToken.None);

    public string Mac(string node) => _macs[node];

    public string Other(string node) => NodeNames.Single(n => n != node);

    public bool Powered(string node) => Controller.Load().Node(node) is { Powered: true, Holder.IsAlive: true };

    /// <summary>A path inside a running node as the host sees it (through its pid 1).</summary>
    public string HostPath(string node, string path) =>
        $"/proc/{Controller.Load().Node(node).Holder?.Pid ?? throw new InvalidOperationException($"{node} is powered off")}/root{path}";

    /// <summary>A file a node wrote to its private log directory (kept on the host when the node is off).</summary>
    public string LogFile(string node, string name) => Path.Combine(Layout.LogDir(node), name);

    public async Task<CommandResult> RunAsync(string node, params string[] command) =>
        await Controller.RunAsync(node, command, CommandTimeout, CancellationToken.None).ConfigureAwait(false);

    public async Task<string> CheckAsync(string node, params string[] command)
    {
        var result = await RunAsync(node, command).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{node}: {string.Join(' ', command)} exited {result.ExitCode}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
        }
        return result.StandardOutput;
    }

    /// <summary>Starts a long-running program in a node, detached, its output appended to a log in the node.</summary>
    public Task StartServiceAsync(string node, string log, params string[] command) =>
        CheckAsync(node, ["sh", "-c", "log=$1; shift; setsid -f \"$@\" </dev/null >>\"$log\" 2>&1", "sh", log, .. command]);

    /// <summary>corosync, as a service manager starts it: returns when it answers its clients.</summary>
    public async Task StartCorosyncAsync(string node)
    {
        await StartServiceAsync(node, "/var/log/tandem/corosync.log", "corosync", "-f").ConfigureAwait(false);
        await WaitAsync(async () => (await RunAsync(node, "corosync-cmapctl", "-g", "totem.cluster_name").ConfigureAwait(false)).Succeeded,
            TimeSpan.FromSeconds(30), $"corosync answering on {node}").ConfigureAwait(false);
    }

    public async Task PowerOffAsync(string node) => await Controller.KillAsync(node, CancellationToken.None).ConfigureAwait(false);

    /// <summary>Boots a powered-off machine (bare: nothing runs on it yet) and learns its new MAC address.</summary>
    public async Task BootAsync(string node)
    {
        await Controller.BootAsync(node, CancellationToken.None).ConfigureAwait(false);
        await ReadMacAsync(node).ConfigureAwait(false);
    }

    private async Task ReadMacAsync(string node) =>
        _macs[node] = (await CheckAsync(node, "cat", "/sys/class/net/eth0/address").ConfigureAwait(false)).Trim();

    /// <summary>Polls until the condition holds; the timeout is a liveness bound, never part of a figure.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
