using System.Xml.Linq;

namespace Tandem.Scheduler.Tests.Determinism;

/// <summary>
/// Reorders CIB elements whose order Pacemaker gives no meaning: the node entries (nodes are sorted by
/// name), the operation records of a resource's history (sorted by call id), the transient attributes of
/// a node (a table), the name/value pairs of a configuration set when their names are distinct (a table
/// too), and the simple location constraints (their scores add up).
/// </summary>
internal static class CibShuffler
{
    public static XElement Shuffle(XElement cib, int seed)
    {
        var copy = new XElement(cib);
        var random = new Random(seed);
        foreach (var nodes in copy.Descendants("nodes").ToList())
        {
            ShuffleChildren(nodes, random, _ => true);
        }
        foreach (var rsc in copy.Descendants("lrm_resource").ToList())
        {
            // Operations with distinct call ids only: ties keep their recorded order, as in Pacemaker.
            var ids = rsc.Elements("lrm_rsc_op").Select(op => (string?)op.Attribute("call-id")).ToList();
            if (ids.All(id => id is not null && id != "-1") && ids.Distinct().Count() == ids.Count)
            {
                ShuffleChildren(rsc, random, _ => true);
            }
        }
        foreach (var attrs in copy.Descendants("transient_attributes").Elements("instance_attributes").ToList())
        {
            ShuffleChildren(attrs, random, _ => true);
        }
        foreach (var set in copy.Descendants("configuration").Descendants()
                     .Where(e => e.Name.LocalName is "meta_attributes" or "instance_attributes" or "cluster_property_set" or "utilization").ToList())
        {
            var names = set.Elements("nvpair").Select(p => (string?)p.Attribute("name")).ToList();
            if (names.All(n => n is not null) && names.Distinct().Count() == names.Count)
            {
                ShuffleChildren(set, random, e => e.Name == "nvpair");
            }
        }
        foreach (var constraints in copy.Descendants("constraints").ToList())
        {
            ShuffleChildren(constraints, random, IsSimpleLocation);
        }
        return copy;
    }

    private static bool IsSimpleLocation(XElement e) =>
        e.Name == "rsc_location" && e.Attribute("node") is not null && e.Attribute("score") is not null && !e.HasElements
        && e.Attribute("resource-discovery") is null && e.Attribute("role") is null && e.Attribute("rsc-role") is null;

    /// <summary>Permutes the children that match <paramref name="movable"/> among their own positions.</summary>
    private static void ShuffleChildren(XElement parent, Random random, Func<XElement, bool> movable)
    {
        var children = parent.Elements().ToList();
        var positions = Enumerable.Range(0, children.Count).Where(i => movable(children[i])).ToList();
        var moved = positions.Select(i => children[i]).OrderBy(_ => random.Next()).ToList();
        for (var k = 0; k < positions.Count; k++)
        {
            children[positions[k]] = moved[k];
        }
        parent.ReplaceNodes(parent.Nodes().Where(n => n is not XElement).Concat(children));
    }
}
