using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;

namespace Tandem.Node.Configuration;

/// <summary>
/// The configuration edits behind <c>crm_attribute</c>: permanent node attributes (lifetime forever) and
/// cluster properties, changed as Pacemaker's tool changes the CIB. A name already set in a block without a
/// rule is changed where it is; a new name goes to the node's first rule-less block (<c>nodes-ID</c>) or to
/// <c>cib-bootstrap-options</c>; a delete removes the name from every rule-less block. Pure: each edit
/// returns the new configuration, or null when nothing would change.
/// </summary>
public static class AttributeEdits
{
    public static ClusterConfiguration? SetNodeAttribute(ClusterConfiguration configuration, uint nodeId, string node, string name, string value)
    {
        var index = IndexOfNode(configuration, node);
        var existing = index >= 0 ? configuration.Nodes[index] : new Model.Cluster.Node(nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture), node);
        var attributes = Set(existing.Attributes, $"nodes-{existing.Id}", name, value);
        if (attributes is null)
        {
            return null;
        }
        var updated = existing with { Attributes = attributes.Value };
        return configuration with { Nodes = index >= 0 ? configuration.Nodes.SetItem(index, updated) : configuration.Nodes.Add(updated) };
    }

    public static ClusterConfiguration? DeleteNodeAttribute(ClusterConfiguration configuration, string node, string name)
    {
        var index = IndexOfNode(configuration, node);
        if (index < 0 || Delete(configuration.Nodes[index].Attributes, name) is not { } attributes)
        {
            return null;
        }
        return configuration with { Nodes = configuration.Nodes.SetItem(index, configuration.Nodes[index] with { Attributes = attributes }) };
    }

    public static ClusterConfiguration? SetProperty(ClusterConfiguration configuration, string name, string value) =>
        Set(configuration.Properties, ClusterOptions.BootstrapSetId, name, value) is { } properties ? configuration with { Properties = properties } : null;

    public static ClusterConfiguration? DeleteProperty(ClusterConfiguration configuration, string name) =>
        Delete(configuration.Properties, name) is { } properties ? configuration with { Properties = properties } : null;

    /// <summary>A node's permanent attributes in force (blocks without rules, by precedence).</summary>
    public static IReadOnlyDictionary<string, string> NodeAttributes(ClusterConfiguration configuration, string node) =>
        configuration.FindNode(node)?.Attributes.Resolve() ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();

    private static int IndexOfNode(ClusterConfiguration configuration, string node)
    {
        for (var i = 0; i < configuration.Nodes.Count; i++)
        {
            if (configuration.Nodes[i].Uname == node)
            {
                return i;
            }
        }
        return -1;
    }

    private static ValueList<AttributeSet>? Set(ValueList<AttributeSet> sets, string newSetId, string name, string value)
    {
        // The block that decides the value now (highest precedence, no rule) is the one to change.
        foreach (var set in sets.InPrecedenceOrder(ClusterOptions.BootstrapSetId).Where(s => s.Rule is null && s.IdRef is null))
        {
            var pair = set.Pairs.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.Name == name && x.p.IdRef is null);
            if (pair.p is not null)
            {
                if (pair.p.Value == value)
                {
                    return null;
                }
                return Replace(sets, set, set with { Pairs = set.Pairs.SetItem(pair.i, pair.p with { Value = value }) });
            }
        }
        var target = sets.FirstOrDefault(s => s.Id == newSetId && s.Rule is null && s.IdRef is null)
            ?? sets.FirstOrDefault(s => s.Rule is null && s.IdRef is null);
        if (target is null)
        {
            return sets.Add(new AttributeSet(newSetId, ValueList.Create([new NvPair($"{newSetId}-{name}", name, value)])));
        }
        var pairId = $"{target.Id}-{name}";
        if (target.Pairs.Any(p => p.Id == pairId))
        {
            pairId = $"{pairId}-{target.Pairs.Count}";
        }
        return Replace(sets, target, target with { Pairs = target.Pairs.Add(new NvPair(pairId, name, value)) });
    }

    private static ValueList<AttributeSet>? Delete(ValueList<AttributeSet> sets, string name)
    {
        var changed = false;
        var result = sets.Select(set =>
        {
            if (set.Rule is not null || set.IdRef is not null || !set.Pairs.Any(p => p.Name == name))
            {
                return set;
            }
            changed = true;
            return set with { Pairs = set.Pairs.Where(p => p.Name != name).ToValueList() };
        }).ToValueList();
        return changed ? result : null;
    }

    private static ValueList<AttributeSet> Replace(ValueList<AttributeSet> sets, AttributeSet old, AttributeSet updated)
    {
        for (var i = 0; i < sets.Count; i++)
        {
            if (ReferenceEquals(sets[i], old))
            {
                return sets.SetItem(i, updated);
            }
        }
        throw new InvalidOperationException($"attribute block {old.Id} is not in the list");
    }
}
