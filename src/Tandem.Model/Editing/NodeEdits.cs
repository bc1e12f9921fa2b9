using Tandem.Model.Cluster;
using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>
/// `tandem node standby|online|maintenance`: permanent node attributes in the nodes section, where
/// Pacemaker keeps them (crm_standby, crm_attribute -t nodes).
/// </summary>
public static class NodeEdits
{
    public const string StandbyName = "standby";
    public const string MaintenanceName = "maintenance";

    /// <summary>
    /// Sets (value) or removes (null) a node attribute. A node the cluster knows but the configuration does
    /// not list yet is added with <paramref name="newNodeId"/> (its corosync id, as Pacemaker does) or its name.
    /// </summary>
    public static ConfigEdit SetAttribute(ClusterConfiguration configuration, string node, string name, string? value, IReadOnlyCollection<string> knownNodes, string? newNodeId = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(knownNodes);
        ConstraintEdits.CheckNode(configuration, node, knownNodes);
        var configured = configuration.FindNode(node);
        var notes = new List<string>();
        if (value is null)
        {
            if (configured is null || !AttributeEdits.TryUnset(configured.Attributes, name, out var rest))
            {
                notes.Add($"node '{node}' has no {name} attribute: nothing to change");
                return new ConfigEdit(configuration, notes);
            }
            return new ConfigEdit(configuration with { Nodes = configuration.Nodes.SetItem(configuration.Nodes.IndexWhere(n => n.Uname == node), configured with { Attributes = rest }) }, notes);
        }
        if (configured is null)
        {
            var id = newNodeId ?? node;
            var added = new Node(id, node) { Attributes = AttributeEdits.Set([], name, value, TextIds.NodeAttributes(id, 0)) };
            return new ConfigEdit(configuration with { Nodes = configuration.Nodes.Add(added) }, notes);
        }
        var attributes = AttributeEdits.Set(configured.Attributes, name, value, TextIds.NodeAttributes(configured.Id, 0));
        return new ConfigEdit(configuration with { Nodes = configuration.Nodes.SetItem(configuration.Nodes.IndexWhere(n => n.Uname == node), configured with { Attributes = attributes }) }, notes);
    }
}
