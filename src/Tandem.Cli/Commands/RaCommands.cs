using System.CommandLine;
using System.Globalization;
using System.Text;
using Tandem.Agents;
using Tandem.Agents.Execution;
using Tandem.Agents.Metadata;
using Tandem.Agents.Processes;
using Tandem.Cli.Output;

namespace Tandem.Cli.Commands;

/// <summary>`tandem ra`: the resource and fence agents installed on this node and what they accept.</summary>
public static class RaCommands
{
    public static Command Create()
    {
        var command = new Command("ra", "Resource and fence agents on this node: classes, lists, parameters");
        command.Subcommands.Add(Classes());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Info());
        command.Subcommands.Add(Check());
        return command;
    }

    /// <summary>The options agents run with from the CLI: Debian's paths, the installed helper directory.</summary>
    public static ExecutorOptions LocalOptions()
    {
        var helpers = Path.Combine(AppContext.BaseDirectory, "agent-bin");
        return new ExecutorOptions { HelperDirectory = Directory.Exists(helpers) ? helpers : ExecutorOptions.DefaultHelperDirectory };
    }

    private static Command Classes()
    {
        var json = CommonOptions.Json();
        var command = new Command("classes", "The agent classes this node supports (ocf, lsb, systemd where systemd runs, stonith)") { json };
        command.SetAction(parse =>
        {
            var catalog = new AgentCatalog(LocalOptions());
            var classes = catalog.Classes().Select(AgentName.ClassName).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(new { classes, ocfProviders = catalog.OcfProviders() });
                return 0;
            }
            foreach (var name in classes)
            {
                Console.WriteLine(name == "ocf" ? $"ocf (providers: {string.Join(", ", catalog.OcfProviders())})" : name);
            }
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var which = new Argument<string>("class") { Description = "ocf, ocf:PROVIDER, lsb, systemd or stonith" };
        var command = new Command("list", "The agents of a class (or of one OCF provider)") { which, json };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(which)!;
            var parts = text.Split(':', 2);
            if (!AgentName.TryParseClass(parts[0], out var agentClass))
            {
                throw new CliException($"unknown agent class '{parts[0]}' (known: ocf, lsb, systemd, stonith)");
            }
            if (parts.Length == 2 && agentClass != AgentClass.Ocf)
            {
                throw new CliException($"class '{parts[0]}' has no providers");
            }
            IReadOnlyList<string> agents;
            try
            {
                agents = new AgentCatalog(LocalOptions()).List(agentClass, parts.Length == 2 ? parts[1] : null);
            }
            catch (MetadataException e)
            {
                throw new CliException(e.Message);
            }
            if (parse.GetValue(json))
            {
                Json.Write(agents);
                return 0;
            }
            foreach (var agent in agents)
            {
                Console.WriteLine(agent);
            }
            return 0;
        });
        return command;
    }

    private static Command Info()
    {
        var json = CommonOptions.Json();
        var agentArgument = new Argument<string>("agent") { Description = "class:provider:type, e.g. ocf:heartbeat:IPaddr2" };
        var command = new Command("info", "An agent's description, parameters (with defaults) and actions (with default timeouts)") { agentArgument, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (agent, metadata) = await LoadAsync(parse.GetValue(agentArgument)!, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Json.Write(new { agent = agent.ToString(), metadata });
                return 0;
            }
            Console.Write(Render(agent, metadata));
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var json = CommonOptions.Json();
        var agentArgument = new Argument<string>("agent") { Description = "class:provider:type" };
        var parameters = new Argument<string[]>("parameters") { Description = "name=value ...", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("check", "Check parameters against an agent's metadata: required ones missing, unknown ones") { agentArgument, parameters, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new CliException($"'{pair}' is not name=value");
                }
                values[pair[..eq]] = pair[(eq + 1)..];
            }
            var (agent, metadata) = await LoadAsync(parse.GetValue(agentArgument)!, cancellationToken).ConfigureAwait(false);
            var findings = ParameterValidator.Validate(agent, metadata, values);
            if (parse.GetValue(json))
            {
                Json.Write(findings);
            }
            else
            {
                foreach (var finding in findings)
                {
                    Console.WriteLine($"{(finding.Severity == FindingSeverity.Error ? "error" : "warning")}: {finding.Message}");
                }
                if (findings.Count == 0)
                {
                    Console.WriteLine($"{agent}: parameters are valid");
                }
            }
            return findings.Any(f => f.Severity == FindingSeverity.Error) ? 1 : 0;
        });
        return command;
    }

    private static async Task<(AgentName Agent, AgentMetadata Metadata)> LoadAsync(string text, CancellationToken cancellationToken)
    {
        if (!AgentName.TryParse(text, out var agent, out var error))
        {
            throw new CliException(error);
        }
        await using var executor = new Executor(LocalOptions(), new PosixProcessLauncher(), TimeProvider.System);
        try
        {
            return (agent, await new MetadataProvider(executor).GetAsync(agent, cancellationToken).ConfigureAwait(false));
        }
        catch (MetadataException e)
        {
            throw new CliException(e.Message);
        }
    }

    public static string Render(AgentName agent, AgentMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(metadata);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{agent}{(metadata.Version is null ? "" : $" (version {metadata.Version})")}");
        text.Append(metadata.ShortDescription is null ? "\n" : $" - {metadata.ShortDescription}\n");
        if (metadata.LongDescription is { Length: > 0 } description && description != metadata.ShortDescription)
        {
            text.Append('\n').Append(description).Append('\n');
        }
        text.Append("\nParameters (* = required):\n");
        if (metadata.Parameters.Count == 0)
        {
            text.Append("  (none)\n");
        }
        else
        {
            var table = new TextTable("NAME", "TYPE", "DEFAULT", "DESCRIPTION");
            foreach (var p in metadata.Parameters)
            {
                // The fencer supplies a fence agent's action and target itself: not required in a configuration.
                var required = p.Required && !(agent.Class == AgentClass.Stonith && p.Name is "action" or "port" or "plug" or "nodename");
                var flags = (required ? " *" : "") + (p.Unique ? " (unique)" : "") + (p.Deprecated ? " (deprecated)" : "");
                table.Add(p.Name + flags, p.Type, p.Default ?? "", p.ShortDescription ?? "");
            }
            text.Append(table);
        }
        text.Append("\nActions:\n");
        var actions = new TextTable("ACTION", "TIMEOUT", "INTERVAL", "DEPTH", "ROLE");
        foreach (var a in metadata.Actions)
        {
            actions.Add(a.Name, Ms(a.TimeoutMs), Ms(a.IntervalMs), a.Depth?.ToString(CultureInfo.InvariantCulture) ?? "", a.Role ?? "");
        }
        text.Append(actions);
        return text.ToString();
    }

    private static string Ms(long? ms) => ms switch
    {
        null => "",
        { } v when v % 1000 == 0 => $"{(v / 1000).ToString(CultureInfo.InvariantCulture)}s",
        { } v => $"{v.ToString(CultureInfo.InvariantCulture)}ms",
    };
}
