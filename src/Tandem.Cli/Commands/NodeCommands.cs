using System.CommandLine;
using Tandem.Cli.Configuration;
using Tandem.Model.Editing;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem node standby|online|maintenance [NODE]`: the node attributes Pacemaker keeps in the nodes
/// section (standby=on, maintenance=on). NODE defaults to the node the command runs on.
/// </summary>
public static class NodeCommands
{
    public static Command Create(ConfigContext? context = null)
    {
        var command = new Command("node", "Nodes: put in standby (resources move away), bring back online, maintenance mode");
        command.Subcommands.Add(Attribute(context, "standby", "Move every resource off the node and keep them off (standby=on)", NodeEdits.StandbyName, "on", offOption: false));
        command.Subcommands.Add(Attribute(context, "online", "Let the node run resources again (removes standby)", NodeEdits.StandbyName, null, offOption: false));
        command.Subcommands.Add(Attribute(context, "maintenance", "Stop managing the node's resources, leaving them as they are (maintenance=on; --off ends it)", NodeEdits.MaintenanceName, "on", offOption: true));
        return command;
    }

    private static Command Attribute(ConfigContext? context, string name, string description, string attribute, string? value, bool offOption)
    {
        var node = new Argument<string?>("node") { Arity = ArgumentArity.ZeroOrOne, Description = "The node (default: this one)" };
        var off = new Option<bool>("--off") { Description = "End it (removes the attribute)" };
        var command = new Command(name, description) { node };
        if (offOption)
        {
            command.Options.Add(off);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = context ?? ConfigContext.Live();
            var target = c.Target();
            var given = parse.GetValue(node);
            var nodes = await target.GetNodesAsync(cancellationToken).ConfigureAwait(false);
            var chosen = given ?? nodes.LocalNode ?? throw new CliException("name the node: this node's name is not known");
            var set = offOption && parse.GetValue(off) ? null : value;
            await ConfigUpdater.ApplyAsync(target, $"node {name}{(set is null && offOption ? " --off" : "")} {chosen}",
                (config, known) => NodeEdits.SetAttribute(config, chosen, attribute, set, known.Names, known.IdOf(chosen)), c.Output, cancellationToken, time: c.Time).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
