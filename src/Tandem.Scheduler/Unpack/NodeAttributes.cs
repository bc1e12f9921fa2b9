using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Sets a node's attributes: the built-in ones (#uname, #id, #is_dc, #cluster-name, #site-name) and the
/// configured or transient ones (add_node_attrs).
/// </summary>
internal static class NodeAttributes
{
    public static void Add(WorkingSet ws, NodeDetails node, IEnumerable<NvSets.Block> sets, bool overwrite)
    {
        node.Attrs["#uname"] = node.Uname;
        node.Attrs["#id"] = node.Id;
        if (ws.DcUuid is not null && string.Equals(node.Id, ws.DcUuid, StringComparison.OrdinalIgnoreCase))
        {
            ws.DcNode = node;
            node.IsDc = true;
            node.Attrs["#is_dc"] = "true";
        }
        else
        {
            node.Attrs["#is_dc"] = "false";
        }
        var clusterName = ws.Options.GetValueOrDefault("cluster-name");
        if (clusterName is not null)
        {
            node.Attrs["#cluster-name"] = clusterName;
        }
        NvSets.Apply(node.Attrs, sets, overwrite);
        if (!node.Attrs.ContainsKey("#site-name"))
        {
            var site = node.Attribute("site-name");
            if (site is not null)
            {
                node.Attrs["#site-name"] = site;
            }
            else if (clusterName is not null)
            {
                node.Attrs["#site-name"] = clusterName;
            }
        }
    }
}
