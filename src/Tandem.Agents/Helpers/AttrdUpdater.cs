using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>attrd_updater</c>: transient node attributes (lifetime reboot), used by ocf:pacemaker:ping,
/// ocf:pacemaker:attribute and many heartbeat agents. <c>-n NAME</c> with <c>-U VALUE</c> (update),
/// <c>-Q</c> (query: <c>name="N" host="H" value="V"</c>, all nodes with <c>-A</c>) or <c>-D</c> (delete);
/// <c>-N NODE</c> (default: this node). Dampening and private attributes are accepted and not applied.
/// </summary>
public static class AttrdUpdater
{
    private static readonly OptionSpec Name = new('n', "name", OptionArgument.Required);
    private static readonly OptionSpec Update = new('U', "update", OptionArgument.Required);
    private static readonly OptionSpec UpdateBoth = new('B', "update-both", OptionArgument.Required);
    private static readonly OptionSpec UpdateDelay = new('Y', "update-delay", OptionArgument.None);
    private static readonly OptionSpec Query = new('Q', "query", OptionArgument.None);
    private static readonly OptionSpec Delete = new('D', "delete", OptionArgument.None);
    private static readonly OptionSpec Refresh = new('R', "refresh", OptionArgument.None);
    private static readonly OptionSpec Node = new('N', "node", OptionArgument.Required);
    private static readonly OptionSpec All = new('A', "all", OptionArgument.None);
    private static readonly OptionSpec Delay = new('d', "delay", OptionArgument.Required);
    private static readonly OptionSpec Set = new('s', "set", OptionArgument.Required);
    private static readonly OptionSpec Private = new('p', "private", OptionArgument.None);
    private static readonly OptionSpec Lifetime = new('l', "lifetime", OptionArgument.Required);
    private static readonly OptionSpec Quiet = new('q', "quiet", OptionArgument.None);
    private static readonly OptionSpec Verbose = new('V', "verbose", OptionArgument.None);
    private static readonly OptionSpec Version = new('$', "version", OptionArgument.None);
    private static readonly OptionSpec Help = new('h', "help", OptionArgument.None);

    private static readonly OptionSpec[] Specs = [Name, Update, UpdateBoth, UpdateDelay, Query, Delete, Refresh, Node, All, Delay, Set, Private, Lifetime, Quiet, Verbose, Version, Help];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, _) = PacemakerOptionParser.Parse(args, Specs);
        if (options.Any(o => o.Spec == Help))
        {
            await context.Out.WriteLineAsync("Usage: attrd_updater -n NAME (-U VALUE | -Q [-A] | -D) [-N NODE]").ConfigureAwait(false);
            return HelperExit.Ok;
        }
        if (options.Any(o => o.Spec == Version))
        {
            return await HelperCommands.VersionAsync(context).ConfigureAwait(false);
        }
        var command = options.LastOrDefault(o => o.Spec == Update || o.Spec == UpdateBoth || o.Spec == UpdateDelay || o.Spec == Query || o.Spec == Delete || o.Spec == Refresh);
        if (command is null)
        {
            throw new HelperUsageException("Command required (-U, -Q, -D or -R)");
        }
        if (command.Spec == Refresh || command.Spec == UpdateDelay)
        {
            // Tandem's attributes are written through at once; nothing to refresh or re-time.
            return HelperExit.Ok;
        }
        var name = options.LastOrDefault(o => o.Spec == Name)?.Value
            ?? throw new HelperUsageException("--name must be specified");
        var node = options.LastOrDefault(o => o.Spec == Node)?.Value;
        if (node is null or "auto" or "localhost")
        {
            node = await context.LocalNodeAsync(cancellationToken).ConfigureAwait(false);
        }
        var api = context.Api;
        if (command.Spec == Update || command.Spec == UpdateBoth)
        {
            await api.SetNodeAttributeAsync(node, name, command.Value!, AttributeLifetime.Reboot, cancellationToken).ConfigureAwait(false);
            return HelperExit.Ok;
        }
        if (command.Spec == Delete)
        {
            await api.DeleteNodeAttributeAsync(node, name, AttributeLifetime.Reboot, cancellationToken).ConfigureAwait(false);
            return HelperExit.Ok;
        }
        var targets = options.Any(o => o.Spec == All)
            ? (await api.GetNodesAsync(cancellationToken).ConfigureAwait(false)).Nodes.Select(n => n.Name).Order(NumericAwareComparer.Instance).ToList()
            : [node];
        var printed = 0;
        foreach (var target in targets)
        {
            var attribute = await api.GetNodeAttributeAsync(target, name, AttributeLifetime.Reboot, cancellationToken).ConfigureAwait(false);
            if (attribute is not null)
            {
                await context.Out.WriteLineAsync($"name=\"{name}\" host=\"{target}\" value=\"{attribute.Value}\"").ConfigureAwait(false);
                printed++;
            }
        }
        if (printed == 0)
        {
            await context.Error.WriteLineAsync($"attrd_updater: Could not query value of {name}: attribute does not exist").ConfigureAwait(false);
            return HelperExit.NoSuch;
        }
        return HelperExit.Ok;
    }
}
