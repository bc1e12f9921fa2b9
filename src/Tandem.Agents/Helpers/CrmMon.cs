namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>crm_mon -1</c>, minimal: the nodes online and offline, and every resource with where it runs, in
/// Pacemaker 2.1's text layout. Always one-shot; XML output is not offered (agents that need it call
/// cibadmin too, which Tandem has no equivalent of).
/// </summary>
public static class CrmMon
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Any(a => a is "-X" or "--as-xml" or "--output-as=xml" or "--as-html") ||
            args.Zip(args.Skip(1)).Any(p => p.First == "--output-as" && p.Second == "xml"))
        {
            return await HelperCommands.UnsupportedAsync(context, "crm_mon", "XML/HTML output").ConfigureAwait(false);
        }
        if (args.Any(a => a is "--version" or "-$"))
        {
            return await HelperCommands.VersionAsync(context).ConfigureAwait(false);
        }
        var api = context.Api;
        var nodes = await api.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var resources = await api.ListResourcesAsync(cancellationToken).ConfigureAwait(false);
        var local = await api.GetLocalNodeAsync(cancellationToken).ConfigureAwait(false);
        var online = nodes.Nodes.Where(n => n.Member).Select(n => n.Name).Order(NumericAwareComparer.Instance).ToList();
        var offline = nodes.Nodes.Where(n => !n.Member).Select(n => n.Name).Order(NumericAwareComparer.Instance).ToList();
        var o = context.Out;
        await o.WriteLineAsync("Cluster Summary:").ConfigureAwait(false);
        await o.WriteLineAsync("  * Stack: tandem").ConfigureAwait(false);
        await o.WriteLineAsync($"  * Current node: {local.Name} - partition {(nodes.Quorate ? "with" : "WITHOUT")} quorum").ConfigureAwait(false);
        await o.WriteLineAsync($"  * {nodes.Nodes.Count} nodes configured").ConfigureAwait(false);
        await o.WriteLineAsync($"  * {resources.Resources.Count} resource instances configured").ConfigureAwait(false);
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Node List:").ConfigureAwait(false);
        if (online.Count > 0)
        {
            await o.WriteLineAsync($"  * Online: [ {string.Join(' ', online)} ]").ConfigureAwait(false);
        }
        if (offline.Count > 0)
        {
            await o.WriteLineAsync($"  * OFFLINE: [ {string.Join(' ', offline)} ]").ConfigureAwait(false);
        }
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Full List of Resources:").ConfigureAwait(false);
        if (resources.Resources.Count == 0)
        {
            await o.WriteLineAsync("  * No resources").ConfigureAwait(false);
        }
        foreach (var resource in resources.Resources)
        {
            var agent = resource.Agent.Length > 0 ? $"\t({resource.Agent}):\t" : ":\t";
            var where = resource.Locations.Count == 0
                ? " Stopped"
                : string.Join(", ", resource.Locations.GroupBy(l => l.Role).Select(g => $" {g.Key} {string.Join(' ', g.Select(l => l.Node))}"));
            await o.WriteLineAsync($"  * {resource.Id}{agent}{where}").ConfigureAwait(false);
        }
        return HelperExit.Ok;
    }
}
