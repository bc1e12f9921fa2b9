using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>Adds a score for a resource (and its descendants) on one node or on every node (resource_location).</summary>
internal static class NodeScores
{
    public const string SymmetricDefault = "symmetric_default";

    public static void ResourceLocation(Resource rsc, Node? node, int score, string tag)
    {
        var ws = rsc.Cluster;
        if (node is not null)
        {
            ResourceNodeScore(rsc, node, score, tag);
        }
        else
        {
            foreach (var n in ws.Nodes)
            {
                ResourceNodeScore(rsc, n, score, tag);
            }
        }
        if (node is null && score == -Scores.Infinity && rsc.AllocatedTo is not null)
        {
            rsc.AllocatedTo = null;
        }
    }

    private static void ResourceNodeScore(Resource rsc, Node node, int score, string tag)
    {
        if ((rsc.ExclusiveDiscover || node.DiscoverMode == DiscoverMode.Never) && tag == SymmetricDefault)
        {
            // Exclusive-discovery resources and never-discover nodes do not get the symmetric default.
            return;
        }
        foreach (var child in rsc.Children)
        {
            ResourceNodeScore(child, node, score, tag);
        }
        var match = rsc.AllowedNodes.Get(node.Id);
        if (match is null)
        {
            match = node.Copy();
            rsc.AllowedNodes.Set(match);
        }
        match.Weight = Scores.Add(match.Weight, score);
    }

    /// <summary>Adds a score to one node in the resource's and its descendants' tables (common_update_score).</summary>
    public static void UpdateScore(Resource rsc, string nodeId, int score)
    {
        var node = rsc.AllowedNodes.Get(nodeId);
        if (node is not null)
        {
            node.Weight = Scores.Add(node.Weight, score);
        }
        foreach (var child in rsc.Children)
        {
            UpdateScore(child, nodeId, score);
        }
    }

    /// <summary>Sets every node not in <paramref name="list"/> to -INFINITY (and adds missing ones); optionally merges scores.</summary>
    public static void ExcludeNodes(NodeTable table, IReadOnlyList<Node> list, bool mergeScores)
    {
        foreach (var node in table.Values)
        {
            var other = list.FirstOrDefault(n => n.Id == node.Id);
            if (other is null)
            {
                node.Weight = -Scores.Infinity;
            }
            else if (mergeScores)
            {
                node.Weight = Scores.Add(node.Weight, other.Weight);
            }
        }
        foreach (var node in list)
        {
            if (table.Get(node.Id) is null)
            {
                var copy = node.Copy();
                copy.Weight = -Scores.Infinity;
                table.Set(copy);
            }
        }
    }
}
