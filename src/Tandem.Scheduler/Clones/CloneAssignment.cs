using Tandem.Model.Resources;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Clones;

/// <summary>
/// Places clone instances: instances stay where they run when that is still fine (up to an even share
/// per node), the rest go to the best remaining nodes within clone-node-max; then promotable clones pick
/// the instances to promote.
/// </summary>
internal static class CloneAssignment
{
    public static Node? Assign(Resource rsc, Node? prefer)
    {
        if (!rsc.Is(ResourceFlags.Provisional) || rsc.Is(ResourceFlags.Allocating))
        {
            return null;
        }
        var ws = rsc.Cluster;
        if (rsc.Is(ResourceFlags.Promotable))
        {
            Promotion.AddPromotionScores(rsc);
        }
        rsc.Set(ResourceFlags.Allocating);
        foreach (var colocation in rsc.ThisWith.ToList())
        {
            Assignment.Assign(colocation.Primary, prefer);
        }
        foreach (var colocation in rsc.WithThis.ToList())
        {
            if (Colocations.HasInfluence(colocation, null))
            {
                var table = (NodeTable?)rsc.AllowedNodes;
                ColocatedScores.Add(colocation.Dependent, rsc.Id, ref table, colocation.NodeAttribute,
                    colocation.Score / (float)Scores.Infinity, ColocatedScores.Select.Active | ColocatedScores.Select.Nonnegative);
                rsc.AllowedNodes = table!;
            }
        }
        ScoreOutput.Log(ws, rsc, "pcmk__clone_allocate", rsc.AllowedNodes, toLog: false);
        var nodes = NodeAvailability.Sort(rsc.AllowedNodes.Values, null, ws);
        rsc.Children = GList.Sort(rsc.Children, InstanceOrder.Compare);
        DistributeChildren(rsc, rsc.Children, nodes, rsc.Clone!.CloneMax, rsc.Clone.CloneNodeMax);
        if (rsc.Is(ResourceFlags.Promotable))
        {
            Promotion.SetInstanceRoles(rsc);
        }
        rsc.Clear(ResourceFlags.Provisional | ResourceFlags.Allocating);
        return null;
    }

    private static void DistributeChildren(Resource rsc, List<Resource> children, List<Node> nodes, int max, int perHostMax)
    {
        var allocated = 0;
        var availableNodes = 0;
        foreach (var node in nodes)
        {
            node.Count = 0;
            if (NodeAvailability.Available(node, false, false))
            {
                availableNodes++;
            }
        }
        var allColoc = max < availableNodes;
        var loopMax = availableNodes > 0 ? max / availableNodes : 0;
        if (loopMax < 1)
        {
            loopMax = 1;
        }
        // Keep instances where they are when possible.
        foreach (var child in children)
        {
            if (allocated >= max)
            {
                break;
            }
            if (child.RunningOn.Count == 0 || !child.Is(ResourceFlags.Provisional) || child.Is(ResourceFlags.Failed))
            {
                continue;
            }
            var childNode = child.CurrentNode();
            var localNode = NodeAvailability.TopAllowedNode(child, childNode);
            if (!NodeAvailability.Available(childNode, true, false))
            {
                continue;
            }
            if (localNode is not null && localNode.Count >= loopMax)
            {
                continue;
            }
            if (AllocateInstance(child, childNode, allColoc, perHostMax) is not null)
            {
                allocated++;
            }
        }
        foreach (var child in children)
        {
            if (!child.Is(ResourceFlags.Provisional))
            {
                continue;
            }
            if (allocated >= max)
            {
                NodeScores.ResourceLocation(child, null, -Scores.Infinity, "clone:limit_reached");
            }
            else if (AllocateInstance(child, null, allColoc, perHostMax) is not null)
            {
                allocated++;
            }
        }
    }

    private static Node? AllocateInstance(Resource rsc, Node? prefer, bool allColoc, int limit)
    {
        if (!rsc.Is(ResourceFlags.Provisional))
        {
            return rsc.Location(null, 0);
        }
        if (rsc.Is(ResourceFlags.Allocating))
        {
            return null;
        }
        AppendParentColocation(rsc.Parent!, rsc, allColoc);
        if (prefer is not null)
        {
            var localPrefer = rsc.AllowedNodes.Get(prefer.Id);
            if (localPrefer is null || localPrefer.Weight < 0)
            {
                return null;
            }
        }
        CanRunInstance(rsc, null, limit);
        var backup = rsc.AllowedNodes.Copy();
        var chosen = Assignment.Assign(rsc, prefer);
        if (chosen is not null && prefer is not null && !ReferenceEquals(chosen.Details, prefer.Details))
        {
            rsc.AllowedNodes = backup;
            Assignment.Unassign(rsc);
            chosen = null;
        }
        if (chosen is not null)
        {
            var localNode = NodeAvailability.TopAllowedNode(rsc, chosen);
            if (localNode is not null)
            {
                localNode.Count++;
            }
        }
        return chosen;
    }

    private static void AppendParentColocation(Resource parent, Resource child, bool all)
    {
        foreach (var colocation in parent.ThisWith)
        {
            if (all || colocation.Score < 0 || colocation.Score == Scores.Infinity)
            {
                Colocations.AddThisWith(child, colocation);
            }
        }
        foreach (var colocation in parent.WithThis)
        {
            if (!Colocations.HasInfluence(colocation, child))
            {
                continue;
            }
            if (all || colocation.Score < 0)
            {
                Colocations.AddWithThis(child, colocation);
            }
        }
    }

    private static void CanRunInstance(Resource rsc, Node? node, int limit)
    {
        if (node is null)
        {
            foreach (var allowed in rsc.AllowedNodes.Values.ToList())
            {
                CanRunInstance(rsc, allowed, limit);
            }
            return;
        }
        if (NodeAvailability.Available(node, false, false) && !rsc.Is(ResourceFlags.Orphan))
        {
            var localNode = NodeAvailability.TopAllowedNode(rsc, node);
            if (localNode is null)
            {
                // Not allowed at all.
            }
            else if (localNode.Weight < 0)
            {
                NodeScores.UpdateScore(rsc, node.Id, localNode.Weight);
            }
            else if (localNode.Count < limit)
            {
                return;
            }
        }
        NodeScores.UpdateScore(rsc, node.Id, -Scores.Infinity);
    }

    /// <summary>Applies a colocation where the primary is a clone (pcmk__clone_apply_coloc_score).</summary>
    public static void ApplyColocation(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        if (primary.Is(ResourceFlags.Promotable))
        {
            if (primary.Is(ResourceFlags.Provisional))
            {
                return;
            }
            if (colocation.PrimaryRole == Role.Unknown)
            {
                // Not role-specific: handled like any clone.
            }
            else if (dependent.Is(ResourceFlags.Provisional))
            {
                Promotion.UpdateDependentWithPromotable(primary, dependent, colocation);
                return;
            }
            else if (colocation.DependentRole == Role.Promoted)
            {
                Promotion.UpdatePromotableDependentPriority(primary, dependent, colocation);
                return;
            }
        }
        var doInterleave = false;
        if (PcmkText.IsTrue(colocation.Dependent.Meta.GetValueOrDefault("interleave")) && colocation.Dependent.Variant > ResourceVariant.Group)
        {
            if (CopiesPerNode(colocation.Dependent) == CopiesPerNode(colocation.Primary))
            {
                doInterleave = true;
            }
        }
        if (primary.Is(ResourceFlags.Provisional))
        {
            return;
        }
        if (doInterleave)
        {
            var primaryInstance = FindCompatibleChild(dependent, primary, Role.Unknown, current: false);
            if (primaryInstance is not null)
            {
                Assignment.ApplyColocationForDependent(dependent, primaryInstance, colocation);
            }
            else if (colocation.Score >= Scores.Infinity)
            {
                Assignment.AssignResource(dependent, null, true);
            }
            return;
        }
        if (colocation.Score >= Scores.Infinity)
        {
            var affected = new List<Node>();
            foreach (var child in primary.Children)
            {
                var chosen = child.Location(null, 0);
                if (chosen is not null && !child.IsSetRecursive(ResourceFlags.Block, true))
                {
                    affected.Insert(0, chosen);
                }
            }
            NodeScores.ExcludeNodes(dependent.AllowedNodes, affected, false);
            return;
        }
        foreach (var child in primary.Children)
        {
            Assignment.ApplyColocationForPrimary(dependent, child, colocation);
        }
    }

    private static int CopiesPerNode(Resource rsc)
    {
        if (rsc.Variant != ResourceVariant.Clone)
        {
            return 1;
        }
        var max = rsc.Meta.GetValueOrDefault("clone-node-max");
        return max is null ? 1 : (int)Math.Max(0, Model.Status.StatusXmlReader.ParseLong(max) ?? 0);
    }

    /// <summary>The instance of <paramref name="rsc"/> on the node where <paramref name="localChild"/> is (or could be best placed).</summary>
    public static Resource? FindCompatibleChild(Resource localChild, Resource rsc, Role filter, bool current)
    {
        var localNode = localChild.Location(null, current ? 1 : 0);
        if (localNode is not null)
        {
            return FindCompatibleChildByNode(localNode, rsc, filter, current);
        }
        var scratch = NodeAvailability.Sort(localChild.AllowedNodes.Values, null, localChild.Cluster);
        foreach (var node in scratch)
        {
            var pair = FindCompatibleChildByNode(node, rsc, filter, current);
            if (pair is not null)
            {
                return pair;
            }
        }
        return null;
    }

    private static Resource? FindCompatibleChildByNode(Node localNode, Resource rsc, Role filter, bool current)
    {
        foreach (var child in rsc.Children)
        {
            if (IsChildCompatible(child, localNode, filter, current))
            {
                return child;
            }
        }
        return null;
    }

    private static bool IsChildCompatible(Resource child, Node localNode, Role filter, bool current)
    {
        Node? node = null;
        var nextRole = child.State(current);
        if (!child.IsSetRecursive(ResourceFlags.Block, true))
        {
            node = child.Location(null, current ? 1 : 0);
        }
        if (filter != Role.Unknown && nextRole != filter)
        {
            return false;
        }
        return node is not null && ReferenceEquals(node.Details, localNode.Details);
    }
}
