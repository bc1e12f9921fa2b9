using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tandem.Agents.Execution;
using Tandem.Agents.Processes;
using Tandem.Corosync;
using Tandem.Deployment.Cluster;
using Tandem.Deployment.Endpoint;
using Tandem.Node;
using Tandem.Node.Api;
using Tandem.Node.Configuration;

namespace Tandem.Cli.Commands;

/// <summary>`tandem daemon`: the node's cluster daemon, in the foreground, logging to stderr.</summary>
public static class DaemonCommand
{
    /// <summary>Agents inherit the daemon's environment, plus the socket their helper commands must call.</summary>
    private static Dictionary<string, string> AgentEnvironment(string socketPath)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["TANDEM_SOCKET"] = socketPath;
        return environment;
    }

    public static Command Create()
    {
        var socket = new Option<string>("--socket") { Description = "The local API's unix socket", DefaultValueFactory = _ => LocalApiPaths.Socket };
        var config = new Option<string>("--config") { Description = "Where this node keeps its copy of the configuration", DefaultValueFactory = _ => FileConfigStorage.DefaultPath };
        var group = new Option<string>("--group") { Description = "The corosync process group of the daemons", DefaultValueFactory = _ => CorosyncClusterBus.DefaultGroupName, Hidden = true };
        var command = new Command("daemon", "Run this node's Tandem daemon in the foreground (membership, configuration, local API)") { socket, config, group };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(logging => logging
                .SetMinimumLevel(Environment.GetEnvironmentVariable("TANDEM_DEBUG") == "1" ? LogLevel.Debug : LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                }));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            await using var bus = new CorosyncClusterBus(parse.GetValue(group)!);
            var options = new DaemonOptions
            {
                SocketPath = parse.GetValue(socket)!,
                ConfigPath = parse.GetValue(config)!,
                VolumesDirectory = Tandem.Volumes.Service.VolumePaths.FromEnvironment().ConfigDir,
            };
            await using var executor = new Executor(
                new ExecutorOptions { NodeName = options.NodeName, BaseEnvironment = AgentEnvironment(options.SocketPath) },
                new PosixProcessLauncher(),
                TimeProvider.System);
            var host = new DaemonHost(bus, executor, options, loggerFactory, TimeProvider.System);
            // The network endpoint (join, node-to-node) runs beside the daemon, on the cluster address only.
            await using var endpoint = await NodeEndpoint.StartIfConfiguredAsync(options.NodeName, ClusterPaths.System, loggerFactory, TimeProvider.System, stop.Token).ConfigureAwait(false);
            await host.RunAsync(stop.Token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
