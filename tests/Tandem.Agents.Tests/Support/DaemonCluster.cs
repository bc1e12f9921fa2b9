using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Agents.Execution;
using Tandem.Bus.InMemory;
using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node;
using Tandem.Node.Configuration;

namespace Tandem.Agents.Tests.Support;

/// <summary>
/// Real daemons (<see cref="DaemonHost"/>, each with its local API on a unix socket and a real executor
/// whose agents find the helper commands first on their PATH), one per node, joined by the in-memory bus
/// in this process instead of corosync. What agents see is what they see on a real node.
/// TANDEM_SIM_LOG=1 shows the daemons' logs.
/// </summary>
public sealed class DaemonCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DaemonHost Host, Executor Executor, Task Run)> _daemons = [];
    private readonly ILoggerFactory _logs = Environment.GetEnvironmentVariable("TANDEM_SIM_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true))
        : NullLoggerFactory.Instance;
    private readonly TempDirectory _temp;
    private Task _pump = Task.CompletedTask;

    private DaemonCluster(TempDirectory temp, string helperBin)
    {
        _temp = temp;
        HelperBin = helperBin;
    }

    public string HelperBin { get; }

    public IReadOnlyList<string> Names { get; private set; } = [];

    public DaemonHost Host(string node) => _daemons[Index(node)].Host;

    public string Socket(string node) => _temp.Combine("run", node, "tandem.sock");

    private int Index(string node) => Names.ToList().IndexOf(node) is >= 0 and var i ? i : throw new ArgumentException($"no node {node}");

    public static async Task<DaemonCluster> StartAsync(TempDirectory temp, string ocfRoot, params string[] names)
    {
        var cluster = new DaemonCluster(temp, Support.HelperBin.Create(temp)) { Names = names };
        var network = new InMemoryNetwork(new InMemoryClusterConfig("e2e", [.. names.Select((n, i) => new InMemoryNode((uint)(i + 1), n))]) { TwoNode = names.Length == 2 }, seed: 1);
        network.StartAll();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var socket = cluster.Socket(name);
            var options = TestAgents.Options(ocfRoot, cluster.HelperBin, new Dictionary<string, string> { ["TANDEM_SOCKET"] = socket })
                with { NodeName = name, NodeId = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var executor = TestAgents.Real(options);
            var host = new DaemonHost(
                network.Connect((uint)(i + 1)),
                executor,
                new DaemonOptions { NodeName = name, SocketPath = socket, ConfigPath = temp.Combine("state", name, "config.json"), ChangeTimeout = TimeSpan.FromSeconds(30) },
                cluster._logs,
                TimeProvider.System);
            cluster._daemons.Add((host, executor, host.RunAsync(cluster._stop.Token)));
        }
        var stop = cluster._stop.Token;
        cluster._pump = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                network.DeliverAll();
                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);
        foreach (var name in names)
        {
            var host = cluster.Host(name);
            await Eventually.True(() => File.Exists(cluster.Socket(name)) && host.ReadAsync(c => c.Membership.Current.Coordinator is not null && !c.Config.Synchronising, stop).Result, $"{name} to join and follow a coordinator");
        }
        return cluster;
    }

    /// <summary>Installs a configuration (crm-like text) through the first node's daemon and waits until every node has it.</summary>
    public async Task LoadAsync(string text)
    {
        var host = Host(Names[0]);
        var version = await host.ReadAsync(c => c.Config.Stamp.Version, CancellationToken.None);
        var outcome = await host.ProposeAsync(new ConfigChange(Guid.NewGuid().ToString("N"), version, ConfigJson.Serialize(TextParser.Parse(text)), "test"), CancellationToken.None);
        Assert.True(outcome.Applied, outcome.Error);
        foreach (var name in Names)
        {
            await Eventually.True(() => Host(name).ReadAsync(c => c.Config.Stamp.Version == outcome.Version, CancellationToken.None).Result, $"{name} to install the configuration");
        }
    }

    /// <summary>Runs a helper command (or tandem itself) the way a shell on <paramref name="node"/> would: its daemon's socket, no agent environment.</summary>
    public (int Code, string Stdout, string Stderr) Run(string node, string command, params string[] args)
    {
        var start = new ProcessStartInfo(command == "tandem" ? Path.Combine(AppContext.BaseDirectory, "tandem") : Path.Combine(HelperBin, command), args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TANDEM_SOCKET"] = Socket(node);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OCF_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (_, executor, run) in _daemons)
        {
            await run;
            await executor.DisposeAsync();
        }
        await _pump;
        _stop.Dispose();
        _logs.Dispose();
    }
}
