using System.CommandLine;
using System.Net;
using Tandem.Cli.Output;
using Tandem.Deployment;
using Tandem.Deployment.Cluster;
using Tandem.Deployment.Services;

namespace Tandem.Cli.Commands;

/// <summary>`tandem cluster`: set up, join, start, stop and destroy a cluster of real machines.</summary>
public static class ClusterCommands
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Set up a cluster on real machines: setup on the first node, join on the others; start, stop, destroy");
        cluster.Subcommands.Add(Setup());
        cluster.Subcommands.Add(Join());
        cluster.Subcommands.Add(Token());
        cluster.Subcommands.Add(StartStop("start", "Start this node's services (volume service, corosync, daemon)", start: true));
        cluster.Subcommands.Add(StartStop("stop", "Stop this node's daemon and corosync: it leaves the cluster (the volume service keeps running)", start: false));
        cluster.Subcommands.Add(Destroy());
        return cluster;
    }

    private static ClusterPaths Paths => ClusterPaths.System;

    private static IServiceManager Services => ServiceManagers.ForThisMachine(TandemPath, Paths);

    private static string TandemPath => Environment.ProcessPath ?? throw new CliException("cannot tell where the tandem executable is");

    private static string ThisNode(string? name) => name ?? Dns.GetHostName();

    private static Option<string?> NameOption() => new("--name") { Description = "This node's name in the cluster (default: its host name)" };

    private static Command Setup()
    {
        var name = new Argument<string>("name") { Description = "The cluster's name" };
        var nodes = new Option<string[]>("--node") { Description = "A node and its cluster address: NAME=ADDRESS (repeat for each node, this one included)", Required = true };
        var qdevice = new Option<string?>("--qdevice") { Description = "Address of a third machine running corosync-qnetd, to break ties between two halves" };
        var token = new Option<int?>("--token-ms") { Description = $"corosync token timeout (default {Tandem.Corosync.CorosyncConfig.LanProfileTokenMs} ms, Tandem's LAN profile)" };
        var self = NameOption();
        var json = CommonOptions.Json();
        var command = new Command("setup", "On the first node: write corosync.conf and the cluster's keys and certificates, start the services, print a join token per other node") { name, nodes, qdevice, token, self, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (spec, explanation) = await Guard(() => Task.FromResult(ClusterPlan.Make(
                parse.GetValue(name)!, parse.GetValue(nodes)!, ThisNode(parse.GetValue(self)), parse.GetValue(qdevice), parse.GetValue(token)))).ConfigureAwait(false);
            var result = await Guard(() => new ClusterSetup(Paths, Services, TimeProvider.System).RunAsync(spec, cancellationToken)).ConfigureAwait(false);
            var first = spec.Node(spec.FirstNode);
            if (parse.GetValue(json))
            {
                Json.Write(new
                {
                    cluster = spec.Name,
                    quorum = spec.Quorum.ToString(),
                    explanation,
                    tokens = result.Tokens.Select(t => new { node = t.Node, token = t.Format() }),
                });
                return 0;
            }
            Console.WriteLine($"cluster {spec.Name}: {string.Join(", ", spec.Nodes.Select(n => $"{n.Name} ({n.Address})"))}");
            Console.WriteLine(explanation);
            Console.WriteLine($"corosync: knet, crypto on (aes256/sha256), token {spec.TokenMs} ms; services on {first.Name} started ({result.ServiceManager})");
            Console.WriteLine();
            Console.WriteLine("Run on each other node (each token works once, for 24 hours):");
            foreach (var t in result.Tokens)
            {
                Console.WriteLine($"  [{t.Node}]  tandem cluster join {first.Name} --token {t.Format()}");
            }
            return 0;
        });
        return command;
    }

    private static Command Join()
    {
        var first = new Argument<string>("first-node") { Description = "The node where 'tandem cluster setup' ran (name or address)" };
        var token = new Option<string>("--token") { Description = "The join token that setup printed for this node", Required = true };
        var self = NameOption();
        var command = new Command("join", "On each other node: fetch the cluster's configuration from the first node over TLS, install it and start the services") { first, token, self };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await Guard(() => new ClusterJoin(Paths, Services, TimeProvider.System).RunAsync(
                parse.GetValue(first)!, parse.GetValue(token)!, ThisNode(parse.GetValue(self)), cancellationToken)).ConfigureAwait(false);
            Console.WriteLine($"{ThisNode(parse.GetValue(self))} joined cluster {spec.Name}; 'tandem status' shows it");
            return 0;
        });
        return command;
    }

    private static Command Token()
    {
        var node = new Argument<string>("node") { Description = "The node that will join" };
        var command = new Command("token", "On the first node: issue a new one-time join token for a node (e.g. after it was destroyed)") { node };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var token = await Guard(() =>
            {
                var spec = ClusterSpec.Load(Paths);
                var target = spec.Node(parse.GetValue(node)!);
                if (!File.Exists(Paths.CaKey))
                {
                    throw new DeploymentException($"only {spec.FirstNode} (which holds the cluster's authority) issues join tokens");
                }
                using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Paths.NodeCertificate));
                return Task.FromResult(new JoinTokenStore(Paths.JoinTokens, TimeProvider.System).Issue(target.Name, spec.EndpointPort, ClusterCertificates.Fingerprint(certificate)));
            }).ConfigureAwait(false);
            Console.WriteLine($"[{token.Node}]  tandem cluster join {Dns.GetHostName()} --token {token.Format()}");
            return 0;
        });
        return command;
    }

    private static Command StartStop(string verb, string description, bool start)
    {
        var command = new Command(verb, description);
        command.SetAction(async (_, cancellationToken) =>
        {
            await Guard(async () =>
            {
                var spec = ClusterSpec.Load(Paths);
                if (start)
                {
                    await Services.StartAsync(spec.Quorum == Tandem.Corosync.QuorumMode.QDevice, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Services.StopAsync(volumes: false, cancellationToken).ConfigureAwait(false);
                }
                return true;
            }).ConfigureAwait(false);
            Console.WriteLine($"{Dns.GetHostName()}: cluster services {(start ? "started" : "stopped")}");
            return 0;
        });
        return command;
    }

    private static Command Destroy()
    {
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var wipe = new Option<bool>("--wipe-data") { Description = "Also delete this node's volume definitions and their backing files (devices are only named)" };
        var self = NameOption();
        var command = new Command("destroy", "Stop the services and remove the cluster's configuration and state from this node (volume data is kept unless --wipe-data)") { yes, wipe, self };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var wipeData = parse.GetValue(wipe);
            if (!parse.GetValue(yes))
            {
                Console.Write($"Remove this node's cluster configuration{(wipeData ? " AND its volume data" : "")}? Type 'yes': ");
                if (Console.ReadLine()?.Trim() != "yes")
                {
                    throw new CliException("not confirmed; nothing was changed");
                }
            }
            var result = await Guard(() => new ClusterDestroy(Paths, Services).RunAsync(wipeData, ThisNode(parse.GetValue(self)), cancellationToken)).ConfigureAwait(false);
            foreach (var file in result.Removed)
            {
                Console.WriteLine($"removed {file}");
            }
            foreach (var file in result.Kept)
            {
                Console.WriteLine($"kept    {file}");
            }
            return 0;
        });
        return command;
    }

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (DeploymentException e)
        {
            throw new CliException(e.Message);
        }
    }
}
