using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Colocation;

/// <summary>
/// Merges the node preferences of colocated resources into a node table, attenuated by the colocation
/// score as a fraction of INFINITY and followed through chains of colocations
/// (pcmk__add_colocated_node_scores). Arithmetic is single precision, as in Pacemaker.
/// </summary>
internal static class ColocatedScores
{
    /// <summary>Which colocations to follow.</summary>
    [Flags]
    public enum Select
    {
        /// <summary>"With this" colocations.</summary>
        Default = 0,
        /// <summary>"This with" colocations instead.</summary>
        ThisWith = 1,
        /// <summary>Only non-negative results.</summary>
        Nonnegative = 2,
        /// <summary>Roll back if no node is left available.</summary>
        Active = 4,
    }

    public static void Add(Resource rsc, string logId, ref NodeTable? nodes, string? attr, float factor, Select flags)
    {
        if (rsc.Is(ResourceFlags.Merging))
        {
            return;
        }
        rsc.Set(ResourceFlags.Merging);
        NodeTable? work;
        if (rsc.Variant == ResourceVariant.Group)
        {
            work = InitGroup(rsc, logId, nodes, attr, factor, flags);
        }
        else
        {
            work = InitNonGroup(rsc, nodes, attr, factor, flags);
        }
        if (work is null)
        {
            rsc.Clear(ResourceFlags.Merging);
            return;
        }
        if (NodeAvailability.AnyAvailable(work))
        {
            var multiplier = factor < 0.0f ? -1.0f : 1.0f;
            List<Working.Colocation> list;
            if ((flags & Select.ThisWith) != 0)
            {
                list = rsc.ThisWith;
            }
            else if (rsc.Variant == ResourceVariant.Group)
            {
                list = rsc.LastGroupMember().WithThis;
            }
            else
            {
                list = rsc.WithThis;
            }
            foreach (var constraint in list.ToList())
            {
                Resource other;
                if ((flags & Select.ThisWith) != 0)
                {
                    other = constraint.Primary;
                }
                else if (!Colocations.HasInfluence(constraint, null))
                {
                    continue;
                }
                else
                {
                    other = constraint.Dependent;
                }
                var otherFactor = multiplier * constraint.Score / (float)Scores.Infinity;
                var workRef = (NodeTable?)work;
                Add(other, logId, ref workRef, constraint.NodeAttribute, otherFactor, flags | Select.Active);
                work = workRef!;
            }
        }
        else if ((flags & Select.Active) != 0)
        {
            rsc.Clear(ResourceFlags.Merging);
            return;
        }
        if ((flags & Select.Nonnegative) != 0)
        {
            foreach (var node in work.Values)
            {
                if (node.Weight == Scores.InfinityHack)
                {
                    node.Weight = 1;
                }
            }
        }
        nodes = work;
        rsc.Clear(ResourceFlags.Merging);
    }

    private static NodeTable? InitGroup(Resource rsc, string logId, NodeTable? nodes, string? attr, float factor, Select flags)
    {
        if (rsc.Children.Count == 0)
        {
            return null;
        }
        // Only resource sorting passes no table; it starts from the last member.
        var member = nodes is null ? rsc.LastGroupMember() : rsc.Children[0];
        var work = nodes?.Copy();
        Add(member, logId, ref work, attr, factor, flags);
        return work;
    }

    private static NodeTable? InitNonGroup(Resource rsc, NodeTable? nodes, string? attr, float factor, Select flags)
    {
        if (nodes is null)
        {
            return rsc.AllowedNodes.Copy();
        }
        var work = nodes.Copy();
        AddNodeScoresMatchingAttr(work, rsc, attr, factor, (flags & Select.Nonnegative) != 0);
        return work;
    }

    private static int BestNodeScoreMatchingAttr(Resource rsc, string attr, string? value)
    {
        var best = -Scores.Infinity;
        foreach (var node in rsc.AllowedNodes.Values)
        {
            if (node.Weight > best && NodeAvailability.Available(node, false, false)
                && AttrEquals(value, node.Details.Attribute(attr)))
            {
                best = node.Weight;
            }
        }
        return best;
    }

    private static bool AttrEquals(string? a, string? b) =>
        (a is null && b is null) || (a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase));

    private static void AddNodeScoresMatchingAttr(NodeTable nodes, Resource rsc, string? attr, float factor, bool onlyPositive)
    {
        attr ??= "#uname";
        foreach (var node in nodes.Values)
        {
            var score = BestNodeScoreMatchingAttr(rsc, attr, node.Details.Attribute(attr));
            if (factor < 0 && score < 0)
            {
                // A negative preference for a node with a negative score must not become positive.
                continue;
            }
            if (node.Weight == Scores.InfinityHack)
            {
                continue;
            }
            var weightF = factor * score;
            // The rounding constant is a double in Pacemaker, so the sum is done in double precision.
            var weight = (int)(weightF < 0 ? weightF - 0.5 : weightF + 0.5);
            if (weight == 0 && score != 0)
            {
                if (factor > 0.0f)
                {
                    weight = 1;
                }
                else if (factor < 0.0f)
                {
                    weight = -1;
                }
            }
            var newScore = Scores.Add(weight, node.Weight);
            if (onlyPositive && newScore < 0 && node.Weight > 0)
            {
                node.Weight = Scores.InfinityHack;
                continue;
            }
            if (onlyPositive && newScore < 0 && node.Weight == 0)
            {
                continue;
            }
            node.Weight = newScore;
        }
    }
}
