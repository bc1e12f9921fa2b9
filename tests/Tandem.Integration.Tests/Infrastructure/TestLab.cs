using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>
/// A lab made for one test through the real CLI, with a unique name so it never meets another test's
/// lab or a developer's; removed on dispose, also when the test fails.
/// </summary>
public sealed class TestLab : IAsyncDisposable
{
    /// <summary>Generous bound for a membership change to show up; a liveness bound, not a speed claim.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(180);

    private readonly LabController _controller;

    private TestLab(string name, IReadOnlyList<string> nodes)
    {
        Name = name;
        Nodes = nodes;
        _controller = new LabController(name);
    }

    public string Name { get; }

    /// <summary>The network namespace of the lab's client (test traffic comes from there).</summary>
    public string ClientNamespace => _controller.Layout.ClientNamespace;
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>A lab of the given nodes; <paramref name="bare"/> gives machines only, like fresh servers (no cluster configuration, nothing started).</summary>
    public static async Task<TestLab> UpAsync(string nodes = "astapor,braavos", string? quorum = null, bool bare = false, string? scenario = null)
    {
        var name = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var lab = new TestLab(name, nodes.Split(','));
        try
        {
            string[] quorumArgs = quorum is null ? [] : ["--quorum", quorum];
            string[] bareArgs = bare ? ["--bare"] : [];
            string[] scenarioArgs = scenario is null ? [] : ["--scenario", scenario];
            await TandemCli.CheckAsync(CommandTimeout, ["lab", "up", "--name", name, "--nodes", nodes, .. quorumArgs, .. bareArgs, .. scenarioArgs]);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public Task KillAsync(string node) => LabAsync("kill", node);
    public Task StartAsync(string node) => LabAsync("start", node);
    public Task CutAsync(string node) => LabAsync("cut", node);
    public Task HealAsync(string node) => LabAsync("heal", node, "--wait");

    private Task<CommandResult> LabAsync(string verb, string node, params string[] extra) =>
        TandemCli.CheckAsync(CommandTimeout, ["lab", verb, "--name", Name, node, .. extra]);

    /// <summary>Runs a command inside a node and returns its result.</summary>
    public Task<CommandResult> ExecAsync(string node, params string[] command) =>
        _controller.RunAsync(node, command, TimeSpan.FromSeconds(30), CancellationToken.None);

    /// <summary>Runs a command inside a node with a timeout of its own (setup and join start services).</summary>
    public Task<CommandResult> ExecAsync(TimeSpan timeout, string node, params string[] command) =>
        _controller.RunAsync(node, command, timeout, CancellationToken.None);

    /// <summary>The host directory that holds a node's private directories (its /var/lib/tandem is var-lib-tandem here).</summary>
    public string MachineDir(string node) => _controller.Layout.MachineDir(node);

    /// <summary>Runs a command in the client namespace (outside every node, behind the switch).</summary>
    public Task<CommandResult> ClientAsync(params string[] command) =>
        _controller.RunClientAsync(command, TimeSpan.FromSeconds(30), CancellationToken.None);

    /// <summary>Runs the CLI inside a node as an administrator would and fails the test when it fails.</summary>
    public async Task<CommandResult> CheckTandemAsync(string node, params string[] arguments)
    {
        var result = await ExecAsync(CommandTimeout, node, [TandemCli.Path, .. arguments]);
        Assert.True(result.Succeeded, $"tandem {string.Join(' ', arguments)} on {node} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result;
    }

    /// <summary>`tandem config load` of a crm-like text, from a file written inside the node.</summary>
    public async Task LoadConfigurationAsync(string node, string text)
    {
        var write = await ExecAsync(node, "sh", "-c", "printf '%s' \"$1\" > /tmp/tandem-test-config.txt", "sh", text);
        Assert.True(write.Succeeded, write.StandardError);
        await CheckTandemAsync(node, "config", "load", "/tmp/tandem-test-config.txt");
    }

    /// <summary>A path inside a running node, as the host reaches it (through the node's holder process).</summary>
    public string HostPath(string node, string path) =>
        $"/proc/{_controller.Load().Node(node).Holder?.Pid ?? throw new InvalidOperationException($"{node} is powered off")}/root{path}";

    /// <summary>Whether the lab has the node powered on (its holder alive).</summary>
    public Task<bool> NodePoweredAsync(string node) =>
        Task.FromResult(_controller.Load().Node(node) is { Powered: true, Holder.IsAlive: true });

    /// <summary>`tandem status --json` inside a node.</summary>
    public async Task<StatusResponse> StatusAsync(string node)
    {
        var result = await ExecAsync(node, TandemCli.Path, "status", "--json");
        Assert.True(result.Succeeded, $"tandem status on {node}: {result.StandardError}");
        return JsonSerializer.Deserialize<StatusResponse>(result.StandardOutput, LocalApiJson.Options)
            ?? throw new InvalidOperationException("empty status");
    }

    /// <summary>Polls a node's status until it satisfies the condition; fails with the last status seen.</summary>
    public async Task<StatusResponse> WaitForStatusAsync(string node, Func<StatusResponse, bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        StatusResponse? last = null;
        string? lastError = null;
        while (stopwatch.Elapsed < SettleTimeout)
        {
            var result = await ExecAsync(node, TandemCli.Path, "status", "--json");
            if (result.Succeeded)
            {
                last = JsonSerializer.Deserialize<StatusResponse>(result.StandardOutput, LocalApiJson.Options);
                if (last is not null && condition(last))
                {
                    return last;
                }
            }
            else
            {
                lastError = result.StandardError.Trim();
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{node}: {what} did not happen within {SettleTimeout.TotalSeconds} s; last status: {(last is null ? lastError : JsonSerializer.Serialize(last))}");
        throw new UnreachableException();
    }

    /// <summary>Every host process inside the lab's node namespaces now (corosync, daemons, holders).</summary>
    public async Task<IReadOnlyList<ProcessIdentity>> ProcessesAsync()
    {
        var found = new List<ProcessIdentity>();
        foreach (var node in Nodes)
        {
            var pids = await HostCommand.CheckAsync("ip", ["netns", "pids", _controller.Layout.NodeNamespace(node)]);
            found.AddRange(pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => ProcessIdentity.TryRead(int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)))
                .OfType<ProcessIdentity>());
        }
        return found;
    }

    /// <summary>Namespaces of this lab still present on the host.</summary>
    public IReadOnlyList<string> LeftoverNamespaces() =>
        Directory.Exists("/run/netns")
            ? [.. Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>().Where(f => f.StartsWith(_controller.Layout.NamespacePrefix, StringComparison.Ordinal))]
            : [];

    public bool StateDirectoryExists => Directory.Exists(_controller.Layout.Root);

    public async ValueTask DisposeAsync()
    {
        var result = await TandemCli.RunAsync(CommandTimeout, "lab", "down", "--name", Name);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"lab down {Name}: {result.StandardError}");
        }
    }
}
