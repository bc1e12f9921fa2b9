using System.Globalization;

namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>crm_node</c>: <c>-n</c> the local node name (from CRM_meta_on_node when an agent calls it, as in
/// Pacemaker), <c>-i</c> its id, <c>-l</c> "ID NAME STATE" per node, <c>-p</c> the partition's members on
/// one line, <c>-q</c> 1 or 0 for quorum, <c>-N ID</c> the name of a node id.
/// </summary>
public static class CrmNode
{
    private static readonly OptionSpec ClusterId = new('i', "cluster-id", OptionArgument.None);
    private static readonly OptionSpec List = new('l', "list", OptionArgument.None);
    private static readonly OptionSpec Name = new('n', "name", OptionArgument.None);
    private static readonly OptionSpec Partition = new('p', "partition", OptionArgument.None);
    private static readonly OptionSpec Quorum = new('q', "quorum", OptionArgument.None);
    private static readonly OptionSpec NameForId = new('N', "name-for-id", OptionArgument.Required);
    private static readonly OptionSpec Remove = new('R', "remove", OptionArgument.Required);
    private static readonly OptionSpec Force = new('f', "force", OptionArgument.None);
    private static readonly OptionSpec Corosync = new('C', "corosync", OptionArgument.None);
    private static readonly OptionSpec Quiet = new('Q', "quiet", OptionArgument.None);
    private static readonly OptionSpec Verbose = new('V', "verbose", OptionArgument.None);
    private static readonly OptionSpec Version = new('$', "version", OptionArgument.None);
    private static readonly OptionSpec Help = new('h', "help", OptionArgument.None);

    private static readonly OptionSpec[] Specs = [ClusterId, List, Name, Partition, Quorum, NameForId, Remove, Force, Corosync, Quiet, Verbose, Version, Help];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, _) = PacemakerOptionParser.Parse(args, Specs);
        var command = options.LastOrDefault(o => o.Spec is { } s && (s == ClusterId || s == List || s == Name || s == Partition || s == Quorum || s == NameForId || s == Remove || s == Version || s == Help));
        if (command is null)
        {
            throw new HelperUsageException("one of -i, -l, -n, -p, -q, -N is required");
        }
        var spec = command.Spec;
        if (spec == Help)
        {
            await context.Out.WriteLineAsync("Usage: crm_node -n | -i | -l | -p | -q | -N ID").ConfigureAwait(false);
            return HelperExit.Ok;
        }
        if (spec == Version)
        {
            return await HelperCommands.VersionAsync(context).ConfigureAwait(false);
        }
        if (spec == Remove)
        {
            return await HelperCommands.UnsupportedAsync(context, "crm_node", "-R/--remove").ConfigureAwait(false);
        }
        if (spec == Name && context.Environment("OCF_RESKEY_CRM_meta_on_node") is { Length: > 0 } onNode)
        {
            await context.Out.WriteLineAsync(onNode).ConfigureAwait(false);
            return HelperExit.Ok;
        }
        var api = context.Api;
        if (spec == Name || spec == ClusterId)
        {
            var local = await api.GetLocalNodeAsync(cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(spec == Name ? local.Name : local.Id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return HelperExit.Ok;
        }
        var nodes = await api.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        if (spec == Quorum)
        {
            await context.Out.WriteLineAsync(nodes.Quorate ? "1" : "0").ConfigureAwait(false);
            return nodes.Quorate ? HelperExit.Ok : HelperExit.NoQuorum;
        }
        if (spec == NameForId)
        {
            if (!uint.TryParse(command.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new HelperUsageException($"'{command.Value}' is not a node id");
            }
            var node = nodes.Nodes.FirstOrDefault(n => n.Id == id);
            if (node is null)
            {
                await context.Error.WriteLineAsync("Node is not known to cluster").ConfigureAwait(false);
                return HelperExit.NoHost;
            }
            await context.Out.WriteLineAsync(node.Name).ConfigureAwait(false);
            return HelperExit.Ok;
        }
        var sorted = nodes.Nodes.OrderBy(n => n.Name, NumericAwareComparer.Instance).ToList();
        if (spec == List)
        {
            foreach (var node in sorted)
            {
                await context.Out.WriteLineAsync($"{node.Id.ToString(CultureInfo.InvariantCulture)} {node.Name} {(node.Member ? "member" : "lost")}").ConfigureAwait(false);
            }
            return HelperExit.Ok;
        }
        // -p: the partition's members, each followed by a space, as Pacemaker prints them.
        await context.Out.WriteLineAsync(string.Concat(sorted.Where(n => n.Member).Select(n => n.Name + " "))).ConfigureAwait(false);
        return HelperExit.Ok;
    }
}
