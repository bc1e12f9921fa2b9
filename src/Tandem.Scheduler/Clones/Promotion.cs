using Tandem.Model.Resources;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Clones;

/// <summary>
/// Chooses which instances of a promotable clone are promoted: each active instance gets a priority
/// from its promotion score (the master-/promotion node attribute), promoted-role location constraints
/// and colocations; the best ones up to promoted-max (and promoted-node-max per node) are promoted.
/// </summary>
internal static class Promotion
{
    public static int PromotedMax(Resource rsc) => rsc.Top.Clone!.PromotedMax;

    public static int PromotedNodeMax(Resource rsc) => rsc.Top.Clone!.PromotedNodeMax;

    /// <summary>Adds each instance's promotion score to its node preferences (pcmk__add_promotion_scores).</summary>
    public static void AddPromotionScores(Resource rsc)
    {
        if (rsc.Clone!.PromotionAdded)
        {
            return;
        }
        rsc.Clone.PromotionAdded = true;
        foreach (var child in rsc.Children)
        {
            foreach (var node in child.AllowedNodes.Values)
            {
                if (!NodeAvailability.Available(node, false, false))
                {
                    continue;
                }
                var score = Score(child, node, out _);
                if (score > 0)
                {
                    node.Weight = Scores.Add(node.Weight, score);
                }
                if (score > child.Priority)
                {
                    child.Priority = score;
                }
            }
        }
    }

    private static int Score(Resource rsc, Node node, out bool isDefault)
    {
        isDefault = true;
        if (rsc.Children.Count > 0)
        {
            var total = 0;
            foreach (var child in rsc.Children)
            {
                total += Score(child, node, out var childDefault);
                if (!childDefault)
                {
                    isDefault = false;
                }
            }
            return total;
        }
        if (!ScoreApplies(rsc, node))
        {
            return 0;
        }
        var name = rsc.CloneName ?? rsc.Id;
        var value = AttributeValue(node, name);
        if (value is null && !rsc.Is(ResourceFlags.Unique))
        {
            var stripped = CloneIds.Strip(rsc.Id);
            if (stripped != rsc.Id)
            {
                value = AttributeValue(node, stripped);
            }
        }
        if (value is null)
        {
            return 0;
        }
        isDefault = false;
        return Scores.Parse(value);
    }

    private static string? AttributeValue(Node node, string name) => node.Details.Attribute($"master-{name}");

    private static bool ScoreApplies(Resource rsc, Node node)
    {
        var id = CloneIds.Strip(rsc.Id);
        var parent = rsc.Top;
        if (!rsc.Is(ResourceFlags.Unique))
        {
            var active = FindActiveAnonInstance(parent, id, node);
            if (ReferenceEquals(active, rsc))
            {
                return IsAllowed(rsc, node);
            }
            if (active is null && AnonymousKnownOn(parent, id, node))
            {
                return IsAllowed(rsc, node);
            }
        }
        if (rsc.RunningOn.Count == 0 && rsc.KnownOn.Count == 0)
        {
            return IsAllowed(rsc, node);
        }
        if (rsc.KnownOn.Get(node.Id) is not null || rsc.RunningOn.Any(n => string.Equals(n.Id, node.Id, StringComparison.OrdinalIgnoreCase)))
        {
            return IsAllowed(rsc, node);
        }
        return false;
    }

    private static bool IsAllowed(Resource rsc, Node node)
    {
        var allowed = rsc.AllowedNodes.Get(node.Id);
        return allowed is not null && allowed.Weight >= 0;
    }

    private static Resource? FindActiveAnonInstance(Resource clone, string id, Node node)
    {
        foreach (var child in clone.Children)
        {
            var active = child.FindRsc(id, node.Details, FindFlags.Clone | FindFlags.Current);
            if (active is not null)
            {
                return active;
            }
        }
        return null;
    }

    private static bool AnonymousKnownOn(Resource clone, string id, Node node)
    {
        foreach (var child in clone.Children)
        {
            var match = child.FindRsc(id, null, FindFlags.Clone);
            if (match is not null && match.KnownOn.Get(node.Id) is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Sets instance priorities, sorts the instances and promotes the best ones (pcmk__set_instance_roles).</summary>
    public static void SetInstanceRoles(Resource rsc)
    {
        foreach (var node in rsc.AllowedNodes.Values)
        {
            node.Count = 0;
        }
        foreach (var instance in rsc.Children)
        {
            SetInstancePriority(instance, rsc);
        }
        SortPromotableInstances(rsc);
        var promoted = 0;
        foreach (var instance in rsc.Children)
        {
            SetInstanceRole(instance, ref promoted);
        }
    }

    private static void SetCurrentRoleUnpromoted(Resource rsc)
    {
        if (rsc.Role == Role.Started)
        {
            rsc.Role = Role.Unpromoted;
        }
        foreach (var child in rsc.Children)
        {
            SetCurrentRoleUnpromoted(child);
        }
    }

    private static void SetNextRoleUnpromoted(Resource rsc)
    {
        var assigned = new List<Node>();
        rsc.Location(assigned, 0);
        rsc.NextRole = assigned.Count == 0 ? Role.Stopped : Role.Unpromoted;
        foreach (var child in rsc.Children)
        {
            SetNextRoleUnpromoted(child);
        }
    }

    private static void SetNextRolePromoted(Resource rsc)
    {
        if (rsc.NextRole == Role.Unknown)
        {
            rsc.NextRole = Role.Promoted;
        }
        foreach (var child in rsc.Children)
        {
            SetNextRolePromoted(child);
        }
    }

    private static void SetInstancePriority(Resource instance, Resource clone)
    {
        if (instance.State(true) == Role.Started)
        {
            SetCurrentRoleUnpromoted(instance);
        }
        var list = new List<Node>();
        var chosen = instance.Location(list, 0);
        if (chosen is null)
        {
            return;
        }
        var nextRole = instance.State(false);
        switch (nextRole)
        {
            case Role.Started:
            case Role.Unknown:
                instance.Priority = Score(instance, chosen, out var isDefault);
                if (isDefault)
                {
                    // Without a score or constraint, nothing should be promoted.
                    instance.Priority = -1;
                }
                break;
            case Role.Unpromoted:
            case Role.Stopped:
                instance.Priority = -Scores.Infinity;
                break;
        }
        ApplyPromotedLocations(instance, instance.Locations, chosen);
        ApplyPromotedLocations(instance, clone.Locations, chosen);
        foreach (var colocation in instance.ThisWith.ToList())
        {
            Assignment.ApplyColocationForDependent(instance, colocation.Primary, colocation);
        }
        instance.SortIndex = instance.Priority;
        if (nextRole == Role.Promoted)
        {
            instance.SortIndex = Scores.Infinity;
        }
    }

    private static void ApplyPromotedLocations(Resource child, List<LocationConstraint> locations, Node chosen)
    {
        foreach (var location in locations)
        {
            if (location.RoleFilter != Role.Promoted)
            {
                continue;
            }
            var weighted = location.Nodes.FirstOrDefault(n => string.Equals(n.Id, chosen.Id, StringComparison.OrdinalIgnoreCase));
            if (weighted is not null)
            {
                child.Priority = Scores.Add(child.Priority, weighted.Weight);
            }
        }
    }

    private static void SortPromotableInstances(Resource clone)
    {
        if (clone.Clone!.PromotionConstrained)
        {
            return;
        }
        clone.Clone.PromotionConstrained = true;
        clone.Set(ResourceFlags.Merging);
        foreach (var child in clone.Children)
        {
            AddSortIndexToNodeWeight(child, clone);
        }
        foreach (var colocation in clone.ThisWith.ToList())
        {
            if (colocation.DependentRole != Role.Promoted)
            {
                continue;
            }
            var flags = colocation.Score < Scores.Infinity ? ColocatedScores.Select.Active : ColocatedScores.Select.Default;
            var table = (NodeTable?)clone.AllowedNodes;
            ColocatedScores.Add(colocation.Primary, clone.Id, ref table, colocation.NodeAttribute,
                colocation.Score / (float)Scores.Infinity, flags);
            clone.AllowedNodes = table!;
        }
        foreach (var colocation in clone.WithThis.ToList())
        {
            if (colocation.PrimaryRole != Role.Promoted || !Colocations.HasInfluence(colocation, null))
            {
                continue;
            }
            var table = (NodeTable?)clone.AllowedNodes;
            ColocatedScores.Add(colocation.Dependent, clone.Id, ref table, colocation.NodeAttribute,
                colocation.Score / (float)Scores.Infinity, ColocatedScores.Select.Active | ColocatedScores.Select.Nonnegative);
            clone.AllowedNodes = table!;
        }
        Tickets.RequirePromotionTickets(clone);
        foreach (var child in clone.Children)
        {
            SetSortIndexToNodeWeight(child, clone);
        }
        clone.Children = GList.Sort(clone.Children, ComparePromotableInstance);
        clone.Clear(ResourceFlags.Merging);
    }

    private static void AddSortIndexToNodeWeight(Resource child, Resource clone)
    {
        if (child.SortIndex < 0)
        {
            return;
        }
        var chosen = child.Location(null, 0);
        if (chosen is null)
        {
            return;
        }
        var node = clone.AllowedNodes.Get(chosen.Id);
        if (node is not null)
        {
            node.Weight = Scores.Add(child.SortIndex, node.Weight);
        }
    }

    private static void SetSortIndexToNodeWeight(Resource child, Resource clone)
    {
        var chosen = child.Location(null, 0);
        if (!child.Is(ResourceFlags.Managed) && child.NextRole == Role.Promoted)
        {
            child.SortIndex = Scores.Infinity;
        }
        else if (chosen is null || child.SortIndex < 0)
        {
            // Keep the sort index.
        }
        else
        {
            var node = clone.AllowedNodes.Get(chosen.Id);
            if (node is not null)
            {
                child.SortIndex = node.Weight;
            }
        }
    }

    private static int ComparePromotableInstance(Resource rsc1, Resource rsc2)
    {
        if (rsc1.SortIndex > rsc2.SortIndex)
        {
            return -1;
        }
        if (rsc1.SortIndex < rsc2.SortIndex)
        {
            return 1;
        }
        var role1 = rsc1.State(true);
        var role2 = rsc2.State(true);
        if (role1 > role2)
        {
            return -1;
        }
        if (role1 < role2)
        {
            return 1;
        }
        return InstanceOrder.Compare(rsc1, rsc2);
    }

    private static Node? NodeToBePromotedOn(Resource rsc)
    {
        var parent = rsc.Top;
        foreach (var child in rsc.Children)
        {
            if (NodeToBePromotedOn(child) is null)
            {
                return null;
            }
        }
        var node = rsc.Location(null, 0);
        if (node is null)
        {
            return null;
        }
        if (!rsc.Is(ResourceFlags.Managed))
        {
            if (rsc.State(true) != Role.Promoted)
            {
                return null;
            }
        }
        else if (rsc.Priority < 0)
        {
            return null;
        }
        else if (!NodeAvailability.Available(node, false, true))
        {
            return null;
        }
        var localNode = parent.AllowedNodes.Get(node.Id);
        if (localNode is null)
        {
            return null;
        }
        if (localNode.Count >= PromotedNodeMax(parent) && rsc.Is(ResourceFlags.Managed))
        {
            return null;
        }
        return localNode;
    }

    private static void SetInstanceRole(Resource instance, ref int count)
    {
        var clone = instance.Top;
        ScoreOutput.Promotion(instance.Cluster, instance, instance.Location(null, 0));
        Node? chosen = null;
        if (instance.SortIndex < 0)
        {
            // Not promotable.
        }
        else if (count < PromotedMax(instance) || !clone.Is(ResourceFlags.Managed))
        {
            chosen = NodeToBePromotedOn(instance);
        }
        if (chosen is null)
        {
            SetNextRoleUnpromoted(instance);
            return;
        }
        var ws = instance.Cluster;
        if (instance.Role < Role.Promoted && !ws.Is(ClusterFlags.HaveQuorum) && ws.NoQuorumPolicy == NoQuorumPolicy.Freeze)
        {
            SetNextRoleUnpromoted(instance);
            return;
        }
        chosen.Count++;
        SetNextRolePromoted(instance);
        count++;
    }

    /// <summary>Colocation with a promotable clone's role while the dependent is being placed.</summary>
    public static void UpdateDependentWithPromotable(Resource primary, Resource dependent, Working.Colocation colocation)
    {
        var affected = new List<Node>();
        foreach (var instance in primary.Children)
        {
            var node = instance.Location(null, 0);
            if (node is null)
            {
                continue;
            }
            if (instance.State(false) == colocation.PrimaryRole)
            {
                UpdateDependentAllowedNodes(dependent, node, colocation);
                affected.Insert(0, node);
            }
        }
        if (colocation.Score >= Scores.Infinity
            && (colocation.DependentRole != Role.Promoted || colocation.PrimaryRole != Role.Promoted))
        {
            NodeScores.ExcludeNodes(dependent.AllowedNodes, affected, true);
        }
    }

    private static void UpdateDependentAllowedNodes(Resource dependent, Node primaryNode, Working.Colocation colocation)
    {
        if (colocation.Score >= Scores.Infinity)
        {
            return;
        }
        var attr = colocation.NodeAttribute ?? "#uname";
        var primaryValue = primaryNode.Details.Attribute(attr);
        foreach (var node in dependent.AllowedNodes.Values)
        {
            var value = node.Details.Attribute(attr);
            if ((primaryValue is null && value is null)
                || (primaryValue is not null && value is not null && string.Equals(primaryValue, value, StringComparison.OrdinalIgnoreCase)))
            {
                node.Weight = Scores.Add(node.Weight, colocation.Score);
            }
        }
    }

    /// <summary>Colocation of a promoted dependent with a promotable clone's role, while choosing roles.</summary>
    public static void UpdatePromotableDependentPriority(Resource primary, Resource dependent, Working.Colocation colocation)
    {
        var primaryInstance = CloneAssignment.FindCompatibleChild(dependent, primary, colocation.PrimaryRole, current: false);
        if (primaryInstance is not null)
        {
            dependent.Priority = Scores.Add(dependent.Priority, colocation.Score);
        }
        else if (colocation.Score >= Scores.Infinity)
        {
            dependent.Priority = -Scores.Infinity;
        }
    }
}
