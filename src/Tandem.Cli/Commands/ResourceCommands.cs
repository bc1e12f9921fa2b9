using System.CommandLine;
using Tandem.Cli.Configuration;
using Tandem.Cli.Output;
using Tandem.Model;
using Tandem.Model.Durations;
using Tandem.Model.Editing;
using Tandem.Model.Resources;
using Tandem.Model.Text;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem resource ...`: define resources (create, update, delete, group, clone, promotable, show) and
/// steer them (enable, disable, manage, unmanage, move, ban, clear), with pcs's argument order.
/// </summary>
public static class ResourceCommands
{
    public static Command Create(ConfigContext? context = null)
    {
        var command = new Command("resource", "Resources: define, group, clone, show, start/stop, restart, move, ban");
        command.Subcommands.Add(CreateResource(context));
        command.Subcommands.Add(Update(context));
        command.Subcommands.Add(Delete(context));
        command.Subcommands.Add(Group(context));
        command.Subcommands.Add(CloneCommand(context, promotable: false));
        command.Subcommands.Add(CloneCommand(context, promotable: true));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(MetaCommand(context, "enable", "Let the cluster start the resource (removes target-role=Stopped from it and its containers)", ResourceMeta.TargetRoleName, null));
        command.Subcommands.Add(MetaCommand(context, "disable", "Stop the resource and keep it stopped (target-role=Stopped)", ResourceMeta.TargetRoleName, "Stopped"));
        command.Subcommands.Add(MetaCommand(context, "manage", "Let the cluster manage the resource again (removes is-managed=false from it and its containers)", ResourceMeta.IsManagedName, null));
        command.Subcommands.Add(MetaCommand(context, "unmanage", "Leave the resource as it is: the cluster neither starts, stops nor recovers it (is-managed=false)", ResourceMeta.IsManagedName, "false"));
        command.Subcommands.Add(ResourceRestartCommand.Create(context));
        command.Subcommands.Add(Move(context));
        command.Subcommands.Add(Ban(context));
        command.Subcommands.Add(Clear(context));
        command.Subcommands.Add(ResourceCleanupCommand.Create());
        return command;
    }

    private static ConfigContext Of(ConfigContext? context) => context ?? ConfigContext.Live();

    private static Argument<string> Id(string description = "The resource id") => new("id") { Description = description };

    private static Argument<string[]> Words(string name, string description) => new(name) { Arity = ArgumentArity.ZeroOrMore, Description = description };

    private static Command CreateResource(ConfigContext? context)
    {
        var id = Id("The new primitive's id");
        var agent = new Argument<string>("agent") { Description = "class:provider:type (ocf:heartbeat:IPaddr2), class:type (systemd:nginx), or a bare type for ocf:heartbeat" };
        var options = Words("options", "name=value parameters, then [op ACTION name=value ...]... [meta name=value ...]");
        var group = new Option<string?>("--group") { Description = "Put the new resource at the end of this group (created if needed)" };
        var disabled = new Option<bool>("--disabled") { Description = "Create it stopped (target-role=Stopped)" };
        var command = new Command("create", "Define a primitive resource, e.g. create VIP1 IPaddr2 ip=10.0.0.9 cidr_netmask=24 op monitor interval=30s") { id, agent, options, group, disabled };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var parsed = ParseOptions(parse.GetValue(options));
            await Of(context).ChangeAsync($"resource create {parse.GetValue(id)}",
                (c, _) => ResourceEdits.Create(c, parse.GetValue(id)!, parse.GetValue(agent)!, parsed, parse.GetValue(group), parse.GetValue(disabled)), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Update(ConfigContext? context)
    {
        var id = Id();
        var options = Words("options", "name=value parameters (name= removes one), [op ACTION name=value ...]... [meta name=value ...]");
        var command = new Command("update", "Change a resource's parameters, operations or meta attributes") { id, options };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var parsed = ParseOptions(parse.GetValue(options));
            await Of(context).ChangeAsync($"resource update {parse.GetValue(id)}", (c, _) => ResourceEdits.Update(c, parse.GetValue(id)!, parsed), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Delete(ConfigContext? context)
    {
        var id = Id();
        var command = new Command("delete", "Remove a resource, and the constraints that name it (each one is listed)") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await Of(context).ChangeAsync($"resource delete {parse.GetValue(id)}", (c, _) => ResourceEdits.Delete(c, parse.GetValue(id)!), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Group(ConfigContext? context)
    {
        var command = new Command("group", "Groups: primitives kept on one node, started in order and stopped in reverse");
        var addGroup = new Argument<string>("group") { Description = "The group (created where its first member stands if it does not exist)" };
        var addMembers = new Argument<string[]>("resources") { Arity = ArgumentArity.OneOrMore, Description = "Primitives to append, in start order" };
        var add = new Command("add", "Put primitives into a group") { addGroup, addMembers };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await Of(context).ChangeAsync($"resource group add {parse.GetValue(addGroup)} {string.Join(' ', parse.GetValue(addMembers)!)}",
                (c, _) => ResourceEdits.GroupAdd(c, parse.GetValue(addGroup)!, parse.GetValue(addMembers)!), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        var removeGroup = new Argument<string>("group") { Description = "The group" };
        var removeMembers = new Argument<string[]>("resources") { Arity = ArgumentArity.ZeroOrMore, Description = "Members to take out (none: all, which removes the group)" };
        var remove = new Command("remove", "Take primitives out of a group (they stay configured, at the top level)") { removeGroup, removeMembers };
        remove.SetAction(async (parse, cancellationToken) =>
        {
            await Of(context).ChangeAsync($"resource group remove {parse.GetValue(removeGroup)} {string.Join(' ', parse.GetValue(removeMembers)!)}".TrimEnd(),
                (c, _) => ResourceEdits.GroupRemove(c, parse.GetValue(removeGroup)!, parse.GetValue(removeMembers)!), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        return command;
    }

    private static Command CloneCommand(ConfigContext? context, bool promotable)
    {
        var id = Id("The primitive or group to clone");
        var rest = Words("options", "[CLONE-ID] [meta] name=value ... (clone-max=2 notify=true; promotable: promoted-max=1 ...)");
        var name = promotable ? "promotable" : "clone";
        var command = new Command(name, promotable
            ? "Make a resource a promotable clone (one promoted instance, e.g. the DRBD primary, the others unpromoted)"
            : "Run copies of a resource on several nodes") { id, rest };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var words = parse.GetValue(rest)!.Where(w => w != "meta").ToList();
            string? cloneId = words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal) ? words[0] : null;
            var pairs = words.Skip(cloneId is null ? 0 : 1).Select(Pair).ToList();
            await Of(context).ChangeAsync($"resource {name} {parse.GetValue(id)}{(cloneId is null ? "" : " " + cloneId)}",
                (c, _) => ResourceEdits.Clone(c, parse.GetValue(id)!, cloneId, pairs, promotable), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Show(ConfigContext? context)
    {
        var id = new Argument<string?>("id") { Arity = ArgumentArity.ZeroOrOne, Description = "Show this resource's definition (crm-like text)" };
        var json = CommonOptions.Json();
        var command = new Command("show", "List the configured resources, or show one") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = Of(context);
            var configuration = await c.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(id) is { } wanted)
            {
                var resource = configuration.FindResource(wanted) ?? throw new CliException($"unknown resource '{wanted}'");
                if (parse.GetValue(json))
                {
                    Json.Write(resource, c.Output);
                    return 0;
                }
                await c.Output.WriteAsync(TextPrinter.Print(ClusterConfiguration.Empty with { Resources = [resource] })).ConfigureAwait(false);
                return 0;
            }
            var rows = configuration.AllResources.Select(r => new ResourceRow(
                r.Id,
                r switch { Primitive => "primitive", Model.Resources.Group => "group", Clone cl => cl.IsPromotable ? "promotable" : "clone", _ => "bundle" },
                r is Primitive p ? configuration.Expand(p).Agent?.ToString() : null,
                configuration.ParentOf(r.Id)?.Id,
                r.UnconditionalMeta[ResourceMeta.TargetRoleName],
                r.UnconditionalMeta.IsManaged)).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(rows, c.Output);
                return 0;
            }
            if (rows.Count == 0)
            {
                await c.Output.WriteLineAsync("no resources configured").ConfigureAwait(false);
                return 0;
            }
            foreach (var row in rows)
            {
                var indent = row.In is null ? "" : "  ";
                var flags = string.Join(", ", new[] { row.TargetRole is { } role ? $"target-role={role}" : null, row.Managed ? null : "unmanaged" }.OfType<string>());
                await c.Output.WriteLineAsync($"{indent}{row.Id} ({row.Kind}{(row.Agent is null ? "" : " " + row.Agent)}){(flags.Length == 0 ? "" : " " + flags)}").ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    private sealed record ResourceRow(string Id, string Kind, string? Agent, string? In, string? TargetRole, bool Managed);

    /// <summary>enable/manage remove the attribute from the resource and every container (which would otherwise still hold it back); disable/unmanage set it on the resource.</summary>
    private static Command MetaCommand(ConfigContext? context, string name, string description, string attribute, string? value)
    {
        var id = Id();
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(id)!;
            await Of(context).ChangeAsync($"resource {name} {target}", (c, _) =>
            {
                if (value is not null)
                {
                    return ResourceEdits.SetMeta(c, target, attribute, value);
                }
                var notes = new List<string>();
                foreach (var holder in ResourceEdits.SelfAndContainers(c, target))
                {
                    if (holder.UnconditionalMeta[attribute] is { } held)
                    {
                        c = ResourceEdits.SetMeta(c, holder.Id, attribute, null).Configuration;
                        notes.Add($"removed {attribute}={held} from '{holder.Id}'");
                    }
                }
                return new ConfigEdit(c, notes);
            }, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Option<string?> Lifetime(string description) => new("--lifetime") { Description = description };

    /// <summary>A duration (30min, PT1H, 3600), or forever.</summary>
    public static Duration? ParseLifetime(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (text is "forever" or "never")
        {
            return Duration.Zero;
        }
        return Duration.TryParse(text, out var duration, out var error) && duration > Duration.Zero
            ? duration
            : throw new CliException($"invalid --lifetime '{text}' ({(error.Length > 0 ? error : "it must be longer than 0")}; or 'forever')");
    }

    private static Command Move(ConfigContext? context) => PlacementCommand(context, "move",
        "Move a resource to a node, or away from its node (a location constraint that expires)",
        new Argument<string>("id") { Description = "The resource (a top-level primitive, a group, or a promotable clone)" },
        new Argument<string?>("node") { Arity = ArgumentArity.ZeroOrOne, Description = "The node to move it to (default: away from the node it is active on)" },
        Lifetime($"How long the preference lasts (default {PlacementEdits.DefaultMoveLifetime}; 'forever' keeps it until 'resource clear')"),
        PlacementEdits.Move, PlacementEdits.MoveAway);

    private static Command Ban(ConfigContext? context) => PlacementCommand(context, "ban",
        "Keep a resource off a node (a cli-ban location constraint)",
        Id(),
        new Argument<string?>("node") { Arity = ArgumentArity.ZeroOrOne, Description = "The node to keep it off (default: the node it is active on)" },
        Lifetime("How long the ban lasts (default: until 'resource clear')"),
        PlacementEdits.Ban, PlacementEdits.BanAway);

    private delegate ConfigEdit OnNode(ClusterConfiguration configuration, string resource, string node, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes);

    private delegate ConfigEdit AwayFromActive(ClusterConfiguration configuration, string resource, IReadOnlyCollection<string> activeOn, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes);

    /// <summary>move and ban: on the node given, or without one on the node where the resource is active now.</summary>
    private static Command PlacementCommand(ConfigContext? context, string name, string description, Argument<string> id, Argument<string?> node, Option<string?> lifetime, OnNode onNode, AwayFromActive away)
    {
        var command = new Command(name, description) { id, node, lifetime };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = Of(context);
            var span = ParseLifetime(parse.GetValue(lifetime));
            var rsc = parse.GetValue(id)!;
            var given = parse.GetValue(node);
            await c.ChangeAsync($"resource {name} {rsc}{(given is null ? "" : " " + given)}",
                (config, nodes) => given is null
                    ? away(config, rsc, ActiveResources.NodesOf(config, nodes.Placements, rsc), span, c.Time.GetUtcNow(), nodes.Names)
                    : onNode(config, rsc, given, span, c.Time.GetUtcNow(), nodes.Names),
                cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Clear(ConfigContext? context)
    {
        var id = Id();
        var node = new Argument<string?>("node") { Arity = ArgumentArity.ZeroOrOne, Description = "Only the move to or ban from this node" };
        var command = new Command("clear", "Remove the moves and bans of a resource (the constraints 'move' and 'ban' made), naming each") { id, node };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await Of(context).ChangeAsync($"resource clear {parse.GetValue(id)}{(parse.GetValue(node) is { } n ? " " + n : "")}",
                (config, nodes) => PlacementEdits.Clear(config, parse.GetValue(id)!, parse.GetValue(node), nodes.Names), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static ResourceOptions ParseOptions(string[]? words)
    {
        try
        {
            return ResourceOptions.Parse(words ?? []);
        }
        catch (ConfigEditException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static KeyValuePair<string, string> Pair(string word)
    {
        var at = word.IndexOf('=', StringComparison.Ordinal);
        return at > 0 ? KeyValuePair.Create(word[..at], word[(at + 1)..]) : throw new CliException($"expected name=value, found '{word}'");
    }
}
