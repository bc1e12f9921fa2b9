using System.Text.RegularExpressions;
using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>crm_attribute</c>: query, update or delete a node attribute (<c>-N node</c>, <c>-l reboot|forever</c>),
/// a promotion score (<c>-p [rsc]</c>, lifetime reboot), or a cluster property (<c>-t crm_config</c>, the
/// default without a node). Output and exit codes follow Pacemaker 2.1: a query prints
/// <c>scope=status  name=N value=V</c>, or only the value with <c>-q</c>; a missing value exits 105 unless
/// <c>-d</c> gives a default.
/// </summary>
public static class CrmAttribute
{
    private static readonly OptionSpec Id = new('i', "id", OptionArgument.Required);
    private static readonly OptionSpec Name = new('n', "name", OptionArgument.Required);
    private static readonly OptionSpec Pattern = new('P', "pattern", OptionArgument.Required);
    private static readonly OptionSpec Promotion = new('p', "promotion", OptionArgument.Optional);
    private static readonly OptionSpec SetName = new('s', "set-name", OptionArgument.Required);
    private static readonly OptionSpec Delete = new('D', "delete", OptionArgument.None);
    private static readonly OptionSpec Query = new('G', "query", OptionArgument.None);
    private static readonly OptionSpec Update = new('v', "update", OptionArgument.Required);
    private static readonly OptionSpec Default = new('d', "default", OptionArgument.Required);
    private static readonly OptionSpec Lifetime = new('l', "lifetime", OptionArgument.Required);
    private static readonly OptionSpec Node = new('N', "node", OptionArgument.Required);
    private static readonly OptionSpec Type = new('t', "type", OptionArgument.Required);
    private static readonly OptionSpec Utilization = new('z', "utilization", OptionArgument.None);
    private static readonly OptionSpec Inhibit = new('!', "inhibit-policy-engine", OptionArgument.None);
    private static readonly OptionSpec AttrId = new(null, "attr-id", OptionArgument.Required);
    private static readonly OptionSpec AttrName = new(null, "attr-name", OptionArgument.Required);
    private static readonly OptionSpec AttrValue = new(null, "attr-value", OptionArgument.Required);
    private static readonly OptionSpec DeleteAttr = new(null, "delete-attr", OptionArgument.None);
    private static readonly OptionSpec GetValue = new(null, "get-value", OptionArgument.None);
    private static readonly OptionSpec NodeUname = new('U', "node-uname", OptionArgument.Required);
    private static readonly OptionSpec Quiet = new('q', "quiet", OptionArgument.None);
    private static readonly OptionSpec QuietLegacy = new('Q', null, OptionArgument.None);
    private static readonly OptionSpec Verbose = new('V', "verbose", OptionArgument.None);
    private static readonly OptionSpec Version = new('$', "version", OptionArgument.None);
    private static readonly OptionSpec Help = new('h', "help", OptionArgument.None);
    private static readonly OptionSpec OutputAs = new(null, "output-as", OptionArgument.Required);

    private static readonly OptionSpec[] Specs =
    [
        Id, Name, Pattern, Promotion, SetName, Delete, Query, Update, Default, Lifetime, Node, Type, Utilization,
        Inhibit, AttrId, AttrName, AttrValue, DeleteAttr, GetValue, NodeUname, Quiet, QuietLegacy, Verbose, Version, Help, OutputAs,
    ];

    private enum Command
    {
        Query,
        Update,
        Delete,
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, _) = PacemakerOptionParser.Parse(args, Specs);
        var command = Command.Query;
        string? name = null, value = null, pattern = null, type = null, node = null, fallback = null;
        var quiet = false;
        var promotion = false;
        foreach (var option in options)
        {
            var spec = option.Spec;
            if (spec == Help)
            {
                await context.Out.WriteLineAsync("Usage: crm_attribute [-N node] [-l reboot|forever | -t crm_config] (-n NAME | -p [RSC]) (-G | -v VALUE | -D) [-q] [-d DEFAULT]").ConfigureAwait(false);
                return HelperExit.Ok;
            }
            if (spec == Version)
            {
                return await HelperCommands.VersionAsync(context).ConfigureAwait(false);
            }
            if (spec == Name || spec == AttrName)
            {
                name = option.Value;
                promotion = false;
            }
            else if (spec == Promotion)
            {
                promotion = true;
                var resource = option.Value ?? context.Environment("OCF_RESOURCE_INSTANCE");
                name = string.IsNullOrEmpty(resource) ? null : PromotionScoreName(resource);
            }
            else if (spec == Pattern)
            {
                pattern = option.Value;
            }
            else if (spec == Update || spec == AttrValue)
            {
                command = Command.Update;
                value = option.Value;
            }
            else if (spec == Delete || spec == DeleteAttr)
            {
                command = Command.Delete;
                value = null;
            }
            else if (spec == Query || spec == GetValue)
            {
                command = Command.Query;
                value = null;
            }
            else if (spec == Lifetime || spec == Type)
            {
                type = option.Value;
            }
            else if (spec == Node || spec == NodeUname)
            {
                node = option.Value;
            }
            else if (spec == Default)
            {
                fallback = option.Value;
            }
            else if (spec == Quiet || spec == QuietLegacy)
            {
                quiet = true;
            }
            else if (spec == Utilization)
            {
                return await HelperCommands.UnsupportedAsync(context, "crm_attribute", "-z/--utilization").ConfigureAwait(false);
            }
            else if (spec == OutputAs && option.Value != "text")
            {
                return await HelperCommands.UnsupportedAsync(context, "crm_attribute", $"--output-as={option.Value}").ConfigureAwait(false);
            }
        }

        if (promotion && name is null)
        {
            throw new HelperUsageException("-p/--promotion must be called from an OCF resource agent or with a resource ID specified");
        }
        var scope = Scope(type, promotion, node);
        if (command == Command.Delete && name is null && pattern is null)
        {
            throw new HelperUsageException("Error: must specify attribute name or pattern to delete");
        }
        if (pattern is not null && command != Command.Query && scope != "status")
        {
            throw new HelperUsageException("Error: pattern can only be used with query, or with till-reboot update or delete");
        }
        if (command == Command.Update && name is null && pattern is null)
        {
            throw new HelperUsageException("Error: must specify attribute name to update");
        }

        if (scope == "crm_config")
        {
            return await PropertyAsync(context, command, name, value, fallback, quiet, cancellationToken).ConfigureAwait(false);
        }
        var lifetime = scope == "status" ? AttributeLifetime.Reboot : AttributeLifetime.Forever;
        if (node is null or "auto" or "localhost")
        {
            node = await context.LocalNodeAsync(cancellationToken).ConfigureAwait(false);
        }
        var api = context.Api;
        var regex = pattern is null ? null : new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        switch (command)
        {
            case Command.Update when regex is not null:
                foreach (var attribute in await api.ListNodeAttributesAsync(node, lifetime, cancellationToken).ConfigureAwait(false))
                {
                    if (regex.IsMatch(attribute.Name))
                    {
                        await api.SetNodeAttributeAsync(node, attribute.Name, value!, lifetime, cancellationToken).ConfigureAwait(false);
                    }
                }
                return HelperExit.Ok;
            case Command.Update:
                await api.SetNodeAttributeAsync(node, name!, value!, lifetime, cancellationToken).ConfigureAwait(false);
                return HelperExit.Ok;
            case Command.Delete when regex is not null:
                foreach (var attribute in await api.ListNodeAttributesAsync(node, lifetime, cancellationToken).ConfigureAwait(false))
                {
                    if (regex.IsMatch(attribute.Name))
                    {
                        await api.DeleteNodeAttributeAsync(node, attribute.Name, lifetime, cancellationToken).ConfigureAwait(false);
                    }
                }
                return HelperExit.Ok;
            case Command.Delete:
                await api.DeleteNodeAttributeAsync(node, name!, lifetime, cancellationToken).ConfigureAwait(false);
                return HelperExit.Ok;
            default:
                IReadOnlyList<NodeAttribute> found;
                if (name is not null && regex is null)
                {
                    var one = await api.GetNodeAttributeAsync(node, name, lifetime, cancellationToken).ConfigureAwait(false);
                    found = one is null ? [] : [one];
                }
                else
                {
                    found = [.. (await api.ListNodeAttributesAsync(node, lifetime, cancellationToken).ConfigureAwait(false))
                        .Where(a => regex?.IsMatch(a.Name) ?? true)];
                }
                if (found.Count == 0 && fallback is not null && name is not null)
                {
                    found = [new NodeAttribute(node, name, fallback, lifetime)];
                }
                if (found.Count == 0)
                {
                    await context.Error.WriteLineAsync("crm_attribute: Error performing operation: No such device or address").ConfigureAwait(false);
                    return HelperExit.NoSuch;
                }
                foreach (var attribute in found)
                {
                    await PrintAsync(context, quiet, scope, attribute.Name, attribute.Value).ConfigureAwait(false);
                }
                return HelperExit.Ok;
        }
    }

    /// <summary>The node attribute holding a resource's promotion score (Pacemaker: master-RSC).</summary>
    public static string PromotionScoreName(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return "master-" + resource;
    }

    /// <summary>Pacemaker's section for the attribute: status (reboot), nodes (forever) or crm_config.</summary>
    private static string Scope(string? type, bool promotion, string? node) => type?.ToLowerInvariant() switch
    {
        null when promotion => "status",
        null when node is not null => "nodes",
        null => "crm_config",
        "reboot" or "status" => "status",
        "forever" or "nodes" => "nodes",
        "crm_config" => "crm_config",
        "rsc_defaults" or "op_defaults" or "tickets" => throw new HelperUsageException($"-t {type} is not supported by Tandem's agent helper"),
        _ => throw new HelperUsageException($"Invalid lifetime or type '{type}' (valid: reboot, forever, crm_config)"),
    };

    private static async Task<int> PropertyAsync(HelperContext context, Command command, string? name, string? value, string? fallback, bool quiet, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            throw new HelperUsageException("Error: must specify a cluster option name (-n)");
        }
        var api = context.Api;
        switch (command)
        {
            case Command.Update:
                await api.SetPropertyAsync(name, value!, cancellationToken).ConfigureAwait(false);
                return HelperExit.Ok;
            case Command.Delete:
                await api.DeletePropertyAsync(name, cancellationToken).ConfigureAwait(false);
                return HelperExit.Ok;
            default:
                var property = await api.GetPropertyAsync(name, cancellationToken).ConfigureAwait(false);
                var shown = property?.Value ?? fallback;
                if (shown is null)
                {
                    await context.Error.WriteLineAsync("crm_attribute: Error performing operation: No such device or address").ConfigureAwait(false);
                    return HelperExit.NoSuch;
                }
                await PrintAsync(context, quiet, "crm_config", name, shown).ConfigureAwait(false);
                return HelperExit.Ok;
        }
    }

    private static Task PrintAsync(HelperContext context, bool quiet, string scope, string name, string value) =>
        // Pacemaker prints "scope=S id=I name=N value=V"; without an id the two spaces remain.
        context.Out.WriteLineAsync(quiet ? value : $"scope={scope}  name={name} value={value}");
}
