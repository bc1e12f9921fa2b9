using System.CommandLine;
using Tandem.Cli.Configuration;
using Tandem.Cli.Output;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Editing;

namespace Tandem.Cli.Commands;

/// <summary>`tandem property set|unset|show`: cluster properties (stonith-enabled, no-quorum-policy, ...), as pcs property.</summary>
public static class PropertyCommands
{
    public static Command Create(ConfigContext? context = null)
    {
        var command = new Command("property", "Cluster properties: stonith-enabled, no-quorum-policy, symmetric-cluster, maintenance-mode, ...");
        command.Subcommands.Add(Set(context));
        command.Subcommands.Add(Unset(context));
        command.Subcommands.Add(Show(context));
        return command;
    }

    private static Command Set(ConfigContext? context)
    {
        var pairs = new Argument<string[]>("name=value") { Arity = ArgumentArity.OneOrMore, Description = "Properties to set, e.g. stonith-enabled=true no-quorum-policy=stop" };
        var command = new Command("set", "Set cluster properties (one change)") { pairs };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var edits = parse.GetValue(pairs)!.Select(word =>
            {
                var at = word.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    throw new CliException($"expected name=value, found '{word}'");
                }
                return (Func<Model.ClusterConfiguration, ClusterNodes, ConfigEdit>)((c, _) => PropertyEdits.Set(c, word[..at], word[(at + 1)..]));
            }).ToList();
            await (context ?? ConfigContext.Live()).ChangeAsync($"property set {string.Join(' ', parse.GetValue(pairs)!)}", ConfigContext.All(edits), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Unset(ConfigContext? context)
    {
        var names = new Argument<string[]>("name") { Arity = ArgumentArity.OneOrMore, Description = "Properties to remove (back to their defaults)" };
        var command = new Command("unset", "Remove cluster properties, so that their defaults apply") { names };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var edits = parse.GetValue(names)!.Select(name => (Func<Model.ClusterConfiguration, ClusterNodes, ConfigEdit>)((c, _) => PropertyEdits.Unset(c, name)));
            await (context ?? ConfigContext.Live()).ChangeAsync($"property unset {string.Join(' ', parse.GetValue(names)!)}", ConfigContext.All(edits), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Show(ConfigContext? context)
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "Show only this property" };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show the cluster properties that are set (the values in force)") { name, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = context ?? ConfigContext.Live();
            var configuration = await c.ReadAsync(cancellationToken).ConfigureAwait(false);
            var values = configuration.Properties.Resolve(alwaysFirstId: ClusterOptions.BootstrapSetId);
            var selected = values.Where(v => parse.GetValue(name) is not { } only || v.Key == only).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
            if (parse.GetValue(name) is { } wanted && selected.Count == 0)
            {
                throw new CliException($"property '{wanted}' is not set (its default applies)");
            }
            if (parse.GetValue(json))
            {
                Json.Write(selected.ToDictionary(v => v.Key, v => v.Value), c.Output);
                return 0;
            }
            foreach (var (key, value) in selected)
            {
                await c.Output.WriteLineAsync($"{key}={value}").ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
