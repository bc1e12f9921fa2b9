using System.CommandLine;
using Tandem.Cli.Output;
using Tandem.Corosync;
using Tandem.Lab;

namespace Tandem.Cli.Commands;

/// <summary>`tandem lab`: a cluster of nodes on this machine, with fault injection.</summary>
public static class LabCommands
{
    public static Command Create()
    {
        var lab = new Command("lab", "A cluster of nodes on this machine (namespaces, real corosync), with fault injection");
        lab.Subcommands.Add(Up());
        lab.Subcommands.Add(Down());
        lab.Subcommands.Add(ListLabs());
        lab.Subcommands.Add(Exec());
        lab.Subcommands.Add(Client());
        lab.Subcommands.Add(Fault("kill", "Power a node off: every process of the node ends at once", (c, node, ct) => c.KillAsync(node, ct)));
        lab.Subcommands.Add(Fault("start", "Boot a powered-off node again and wait until it has rejoined", (c, node, ct) => c.StartAsync(node, ct)));
        lab.Subcommands.Add(Cable("cut", "Pull a node's network cable at the lab's switch", connected: false));
        lab.Subcommands.Add(Cable("heal", "Plug a node's network cable back in", connected: true));
        lab.Subcommands.Add(LabDemoCommand.Create());
        lab.Subcommands.Add(PowerSwitch());
        lab.Subcommands.Add(Mail());
        lab.Subcommands.Add(LabChaosCommand.Create());
        return lab;
    }

    private static Option<string> NameOption() => new("--name")
    {
        Description = "The lab's name (labs with different names run side by side)",
        DefaultValueFactory = _ => LabOptions.DefaultName,
    };

    private static Argument<string> NodeArgument() => new("node") { Description = "A node of the lab" };

    private static Command Up()
    {
        var name = NameOption();
        var nodes = new Option<string>("--nodes") { Description = "Comma-separated node names", DefaultValueFactory = _ => "astapor,braavos" };
        var quorum = new Option<string?>("--quorum") { Description = "two_node (two nodes), majority (three or more) or qdevice (an arbiter namespace runs corosync-qnetd)" };
        var token = new Option<int?>("--token-ms") { Description = "corosync token timeout in milliseconds" };
        var bare = new Option<bool>("--bare") { Description = "Machines only, like fresh servers: no cluster configuration, corosync and the daemon not started" };
        var scenario = new Option<string?>("--scenario") { Description = "What runs on the cluster: 'mail' (Postfix and Dovecot with their store on /opt/zimbra, and the cluster configuration for them)" };
        var command = new Command("up", "Build a lab cluster and wait until it has formed") { name, nodes, quorum, token, bare, scenario };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var nodeList = parse.GetValue(nodes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var options = new LabOptions(parse.GetValue(name)!, nodeList, ParseQuorum(parse.GetValue(quorum), nodeList.Length))
            {
                TokenMs = parse.GetValue(token),
                Bare = parse.GetValue(bare),
                Scenario = parse.GetValue(scenario),
            };
            await UpAsync(options, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"lab '{options.Name}' is up{(options.Bare ? " (bare machines)" : "")}: {string.Join(", ", nodeList)}");
            if (options.Scenario == MailScenario.Name)
            {
                Console.WriteLine($"mail scenario: cluster configuration in {new LabController(options.Name).MailConfigurationFile}; VIP1 {MailScenario.VipAddress}; check with 'tandem lab mail --name {options.Name}'");
            }
            return 0;
        });
        return command;
    }

    private static async Task<LabState> UpAsync(LabOptions options, CancellationToken cancellationToken)
    {
        var controller = new LabController(options.Name, Progress);
        return await Guard(() => controller.UpAsync(options, TandemPath, cancellationToken)).ConfigureAwait(false);
    }

    private static Command Down()
    {
        var name = NameOption();
        var command = new Command("down", "Remove everything the lab made (processes, mounts, namespaces, state)") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await Guard(() => new LabController(parse.GetValue(name)!, Progress).DownAsync(cancellationToken)).ConfigureAwait(false);
            Console.WriteLine($"lab '{parse.GetValue(name)}' is down");
            return 0;
        });
        return command;
    }

    private static Command ListLabs()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "The labs on this machine and the state of their nodes") { json };
        command.SetAction(parse =>
        {
            var labs = LabController.List();
            if (parse.GetValue(json))
            {
                Json.Write(labs.Select(l => new
                {
                    l.Name,
                    Quorum = l.Quorum.ToString(),
                    Nodes = l.Nodes.Select(n => new { n.Name, n.Address, State = NodeState(n) }),
                }));
                return 0;
            }
            if (labs.Count == 0)
            {
                Console.WriteLine("no labs (create one with 'tandem lab up')");
                return 0;
            }
            var table = new TextTable("LAB", "QUORUM", "NODES");
            foreach (var lab in labs)
            {
                table.Add(lab.Name, lab.Quorum, string.Join("  ", lab.Nodes.Select(n => $"{n.Name}:{NodeState(n)}")));
            }
            Console.Write(table);
            return 0;
        });
        return command;
    }

    private static string NodeState(LabMachine node) =>
        !node.Powered ? "off" : node.Holder is not { IsAlive: true } ? "dead" : node.Cut ? "cut" : "up";

    private static Command Exec()
    {
        var name = NameOption();
        var node = NodeArgument();
        var cmd = new Argument<string[]>("command") { Description = "The command to run in the node (after --)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command inside a node: tandem lab exec NODE -- CMD...") { name, node, cmd };
        command.SetAction((parse, cancellationToken) =>
            Guard(() => new LabController(parse.GetValue(name)!).ExecAsync(parse.GetValue(node)!, parse.GetValue(cmd)!, cancellationToken)));
        return command;
    }

    private static Command Client()
    {
        var name = NameOption();
        var cmd = new Argument<string[]>("command") { Description = "The command to run in the client namespace (after --)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("client", "Run a command in the lab's client namespace: tandem lab client -- CMD...") { name, cmd };
        command.SetAction((parse, cancellationToken) =>
            Guard(() => new LabController(parse.GetValue(name)!).ClientAsync(parse.GetValue(cmd)!, cancellationToken)));
        return command;
    }

    /// <summary>The lab's power switch for fence_tandemlab; `lab up` starts it, `lab down` ends it.</summary>
    private static Command PowerSwitch()
    {
        var name = NameOption();
        var command = new Command("power-switch", "Serve the lab's power switch to fence_tandemlab (started by 'lab up')") { name };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await new LabPowerSwitch(parse.GetValue(name)!).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            return 0;
        });
        return command;
    }

    private static Command Fault(string verb, string description, Func<LabController, string, CancellationToken, Task> act)
    {
        var name = NameOption();
        var node = NodeArgument();
        var command = new Command(verb, description) { name, node };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await Guard(() => act(new LabController(parse.GetValue(name)!, Progress), parse.GetValue(node)!, cancellationToken)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Cable(string verb, string description, bool connected)
    {
        var name = NameOption();
        var node = NodeArgument();
        var wait = new Option<bool>("--wait") { Description = "Return only when the membership has settled" };
        var command = new Command(verb, description) { name, node, wait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await Guard(() => new LabController(parse.GetValue(name)!, Progress)
                .SetCableAsync(parse.GetValue(node)!, connected, parse.GetValue(wait), cancellationToken)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>`tandem lab mail`: the mail load client, run in the client namespace against the scenario's VIP and mailboxes.</summary>
    private static Command Mail()
    {
        var name = NameOption();
        var rate = new Option<double>("--rate") { Description = "Messages per second", DefaultValueFactory = _ => 5 };
        var count = new Option<int?>("--count") { Description = "Number of messages to send" };
        var duration = new Option<string?>("--duration") { Description = "How long to send (30s, 2min)" };
        var settle = new Option<string>("--settle") { Description = "How long to wait for accepted messages to be delivered", DefaultValueFactory = _ => "60s" };
        var report = new Option<string?>("--report") { Description = "Also write the JSON report to this file" };
        var json = CommonOptions.Json();
        var command = new Command("mail", "Send numbered mail to the mail scenario's VIP from the client namespace and check every accepted message arrived") { name, rate, count, duration, settle, report, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var args = new List<string>
            {
                TandemPath, "mail-load", "--smtp", MailScenario.VipAddress, "--domain", MailScenario.Domain,
                "--users", string.Join(',', MailScenario.Users.Select(u => $"{u.User}:{u.Password}")),
                "--rate", parse.GetValue(rate).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--settle", parse.GetValue(settle)!,
            };
            if (parse.GetValue(count) is { } c)
            {
                args.AddRange(["--count", c.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
            if (parse.GetValue(duration) is { } d)
            {
                args.AddRange(["--duration", d]);
            }
            if (parse.GetValue(count) is null && parse.GetValue(duration) is null)
            {
                args.AddRange(["--count", "20"]);
            }
            if (parse.GetValue(report) is { } r)
            {
                args.AddRange(["--report", Path.GetFullPath(r)]);
            }
            if (parse.GetValue(json))
            {
                args.Add("--json");
            }
            return Guard(() => new LabController(parse.GetValue(name)!).ClientAsync(args, cancellationToken));
        });
        return command;
    }

    private static QuorumMode ParseQuorum(string? text, int nodeCount) => text switch
    {
        null => LabOptions.DefaultQuorum(nodeCount),
        "two_node" => QuorumMode.TwoNode,
        "majority" => QuorumMode.Majority,
        "qdevice" => QuorumMode.QDevice,
        _ => throw new CliException($"--quorum '{text}' is not one of two_node, majority, qdevice", 2),
    };

    /// <summary>The executable the lab starts inside its nodes: this very `tandem`.</summary>
    private static string TandemPath => Environment.ProcessPath ?? throw new CliException("cannot tell where the tandem executable is");

    private static void Progress(string message) => Console.Error.WriteLine($"lab: {message}");

    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (LabException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static Task Guard(Func<Task> action) => Guard(async () =>
    {
        await action().ConfigureAwait(false);
        return true;
    });
}
