using System.Globalization;
using Tandem.Agents.LocalApi;
using Tandem.Model.Cluster;

namespace Tandem.Node.Api;

/// <summary>
/// The nodes the daemon knows: corosync's nodelist and the group's members, plus the member nodes of the
/// configuration. A node is a member while it is in this partition's corosync membership.
/// </summary>
public static class NodeDirectory
{
    public static IReadOnlyList<ClusterNode> All(DaemonCore core)
    {
        var nodes = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var node in core.Config.Configuration.Nodes.Where(n => n.Type is null or NodeType.Member))
        {
            nodes[node.Uname] = uint.TryParse(node.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
        }
        foreach (var (id, name) in core.KnownNodes)
        {
            nodes[name] = id;
        }
        var membership = core.Membership.Current;
        return [.. nodes
            .Select(n => new ClusterNode(n.Key, n.Value, membership.QuorumNodes.Contains(n.Value)))
            .OrderBy(n => n.Id)
            .ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    public static ClusterNode? Find(DaemonCore core, string name) => All(core).FirstOrDefault(n => n.Name == name);

    /// <summary>This node: its corosync id once the daemon has joined, else as the nodelist names it.</summary>
    public static NodeIdentity Local(DaemonCore core, string name) =>
        new(name, core.Membership.Current.Self?.NodeId ?? Find(core, name)?.Id ?? 0);
}
