using System.CommandLine;
using Tandem.Cli.Configuration;
using Tandem.Cli.Output;
using Tandem.Model;
using Tandem.Model.Constraints;
using Tandem.Model.Editing;
using Tandem.Model.Text;

namespace Tandem.Cli.Commands;

/// <summary>`tandem constraint location|colocation|order add|remove|show`, and `constraint show|remove` for any kind.</summary>
public static class ConstraintCommands
{
    public static Command Create(ConfigContext? context = null)
    {
        var command = new Command("constraint", "Where resources run (location), with whom (colocation), in which order (order)");
        command.Subcommands.Add(Kind(context, "location", "Where a resource prefers or refuses to run",
            "RSC prefers|avoids NODE[=SCORE]... [id=ID] [role=ROLE] [resource-discovery=always|never|exclusive]",
            (c, nodes, words) => ConstraintEdits.AddLocation(c, words, nodes.Names)));
        command.Subcommands.Add(Kind(context, "colocation", "Keep a resource with (or away from, negative score) another",
            "[ROLE] RSC with [ROLE] WITH-RSC [SCORE] [id=ID] [node-attribute=NAME] (roles also as RSC:Promoted; default score INFINITY)",
            (c, _, words) => ConstraintEdits.AddColocation(c, words)));
        command.Subcommands.Add(Kind(context, "order", "Start (promote, ...) one resource before another",
            "[ACTION] FIRST then [ACTION] THEN [kind=Mandatory|Optional|Serialize] [symmetrical=true|false] [score=SCORE] [id=ID] (actions also as RSC:promote)",
            (c, _, words) => ConstraintEdits.AddOrder(c, words)));
        command.Subcommands.Add(ShowCommand(context, null));
        command.Subcommands.Add(RemoveCommand(context, null));
        return command;
    }

    private static ConfigContext Of(ConfigContext? context) => context ?? ConfigContext.Live();

    private static Command Kind(ConfigContext? context, string kind, string description, string syntax, Func<ClusterConfiguration, ClusterNodes, IReadOnlyList<string>, ConfigEdit> add)
    {
        var command = new Command(kind, description);
        var words = new Argument<string[]>("arguments") { Arity = ArgumentArity.OneOrMore, Description = syntax };
        var addCommand = new Command("add", $"Add a {kind} constraint: {syntax}") { words };
        addCommand.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(words)!;
            await Of(context).ChangeAsync($"constraint {kind} add {string.Join(' ', given)}", (c, nodes) => add(c, nodes, given), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        command.Subcommands.Add(addCommand);
        command.Subcommands.Add(RemoveCommand(context, kind));
        command.Subcommands.Add(ShowCommand(context, kind));
        return command;
    }

    private static Command RemoveCommand(ConfigContext? context, string? kind)
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.OneOrMore, Description = "Constraint ids (see 'show')" };
        var command = new Command("remove", $"Remove {(kind is null ? "constraints" : kind + " constraints")} by id") { ids };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(ids)!;
            await Of(context).ChangeAsync($"constraint {(kind is null ? "" : kind + " ")}remove {string.Join(' ', given)}",
                ConfigContext.All(given.Select(id => (Func<ClusterConfiguration, ClusterNodes, ConfigEdit>)((c, _) => ConstraintEdits.Remove(c, id, kind)))), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command ShowCommand(ConfigContext? context, string? kind)
    {
        var json = CommonOptions.Json();
        var command = new Command("show", $"Show the {(kind is null ? "" : kind + " ")}constraints (crm-like text)") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = Of(context);
            var configuration = await c.ReadAsync(cancellationToken).ConfigureAwait(false);
            var selected = configuration.Constraints.Where(x => kind is null || KindOf(x) == kind).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(selected, c.Output);
                return 0;
            }
            if (selected.Count == 0)
            {
                await c.Output.WriteLineAsync($"no {(kind is null ? "" : kind + " ")}constraints").ConfigureAwait(false);
                return 0;
            }
            await c.Output.WriteAsync(TextPrinter.Print(ClusterConfiguration.Empty with { Constraints = [.. selected] })).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string KindOf(Constraint constraint) => constraint switch
    {
        LocationConstraint => "location",
        ColocationConstraint => "colocation",
        OrderConstraint => "order",
        _ => "ticket",
    };
}
