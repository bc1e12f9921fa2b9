using Tandem.Model.Constraints;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Colocation;

/// <summary>
/// rsc_colocation constraints: a dependent with a primary, or resource sets (members colocated in a
/// chain, sets colocated with each other), tags turned into sets (pcmk__unpack_colocation).
/// </summary>
internal static class ColocationConstraints
{
    public static void Unpack(WorkingSet ws, ColocationConstraint constraint)
    {
        var score = constraint.Score?.Value ?? 0;
        var expanded = ExpandTags(ws, constraint);
        if (expanded is null)
        {
            return;
        }
        ResourceSet? last = null;
        foreach (var set in expanded.Sets)
        {
            if (!UnpackSet(ws, set, score, expanded))
            {
                return;
            }
            if (last is not null && !ColocateSets(ws, expanded, last, set, score))
            {
                return;
            }
            last = set;
        }
        if (last is null)
        {
            UnpackSimple(ws, expanded, score);
        }
    }

    /// <summary>unpack_colocation_tags: null when the constraint must be ignored.</summary>
    private static ColocationConstraint? ExpandTags(WorkingSet ws, ColocationConstraint constraint)
    {
        if (!constraint.Sets.IsEmpty)
        {
            var sets = ConstraintResources.ExpandTagsInSets(ws, constraint.Sets);
            return sets is null ? null : constraint with { Sets = sets.Value };
        }
        if (constraint.Resource is not { } dependentId || constraint.WithResource is not { } primaryId)
        {
            return constraint;
        }
        if (!ConstraintResources.IsValid(ws, dependentId, out var dependent, out var dependentTag)
            || !ConstraintResources.IsValid(ws, primaryId, out var primary, out var primaryTag))
        {
            return null;
        }
        if (dependent is not null && primary is not null)
        {
            return constraint;
        }
        if (dependentTag is not null && primaryTag is not null)
        {
            // Colocating two tags with each other makes no sense.
            return null;
        }
        var dependentSet = ConstraintResources.ToSet(ws, dependentId, convertResource: true)! with { Role = constraint.ResourceRole };
        var primarySet = ConstraintResources.ToSet(ws, primaryId, convertResource: true)! with { Role = constraint.WithResourceRole };
        return constraint with
        {
            Resource = null,
            WithResource = null,
            ResourceRole = null,
            WithResourceRole = null,
            Sets = [dependentSet, primarySet],
        };
    }

    private static bool Influence(ColocationConstraint constraint, Resource rsc) =>
        constraint.Influence ?? rsc.Is(ResourceFlags.Critical);

    private static string? RoleText(Role? role) => role?.ToString();

    /// <summary>unpack_colocation_set: members of one set, chained (or all anti-colocated for negative scores).</summary>
    private static bool UnpackSet(WorkingSet ws, ResourceSet set, int score, ColocationConstraint constraint)
    {
        var localScore = set.Score?.Value ?? score;
        if (localScore == 0)
        {
            return true;
        }
        if (set.Sequential == false)
        {
            return true;
        }
        var role = RoleText(set.Role);
        var resources = new List<Resource>();
        foreach (var id in set.Resources)
        {
            var rsc = ConstraintResources.Find(ws, id);
            if (rsc is null)
            {
                return false;
            }
            resources.Add(rsc);
        }
        var ordering = set.Ordering ?? "group";
        if (localScore > 0 && ordering.Equals("group", StringComparison.OrdinalIgnoreCase))
        {
            for (var i = 1; i < resources.Count; i++)
            {
                Colocations.New(ws, set.Id, null, localScore, resources[i], resources[i - 1], role, role,
                                Influence(constraint, resources[i]));
            }
        }
        else if (localScore > 0)
        {
            for (var i = 1; i < resources.Count; i++)
            {
                Colocations.New(ws, set.Id, null, localScore, resources[i - 1], resources[i], role, role,
                                Influence(constraint, resources[i - 1]));
            }
        }
        else
        {
            // Anti-colocate each member with every earlier one, so no two members share a node.
            for (var i = 0; i < resources.Count; i++)
            {
                var rsc = resources[i];
                var influence = Influence(constraint, rsc);
                foreach (var withId in set.Resources)
                {
                    if (string.Equals(rsc.Id, withId, StringComparison.OrdinalIgnoreCase))
                    {
                        break;
                    }
                    var with = ConstraintResources.Find(ws, withId);
                    if (with is null)
                    {
                        return false;
                    }
                    Colocations.New(ws, set.Id, null, localScore, rsc, with, role, role, influence);
                }
            }
        }
        return true;
    }

    /// <summary>colocate_rsc_sets: the first of set 1 (or each) with the last of set 2 (or each).</summary>
    private static bool ColocateSets(WorkingSet ws, ColocationConstraint constraint, ResourceSet set1, ResourceSet set2, int score)
    {
        if (score == 0)
        {
            return true;
        }
        var id = constraint.Id;
        var role1 = RoleText(set1.Role);
        var role2 = RoleText(set2.Role);
        Resource? rsc1 = null;
        Resource? rsc2 = null;
        if (set1.Sequential != false && set1.Resources.Count > 0)
        {
            rsc1 = ConstraintResources.Find(ws, set1.Resources[0]);
            if (rsc1 is null)
            {
                return false;
            }
        }
        if (set2.Sequential != false)
        {
            rsc2 = ConstraintResources.Find(ws, set2.Resources.Count > 0 ? set2.Resources[^1] : null);
            if (rsc2 is null)
            {
                return false;
            }
        }
        if (rsc1 is not null && rsc2 is not null)
        {
            Colocations.New(ws, id, null, score, rsc1, rsc2, role1, role2, Influence(constraint, rsc1));
        }
        else if (rsc1 is not null)
        {
            var influence = Influence(constraint, rsc1);
            foreach (var other in set2.Resources)
            {
                var rsc = ConstraintResources.Find(ws, other);
                if (rsc is null)
                {
                    return false;
                }
                Colocations.New(ws, id, null, score, rsc1, rsc, role1, role2, influence);
            }
        }
        else if (rsc2 is not null)
        {
            foreach (var other in set1.Resources)
            {
                var rsc = ConstraintResources.Find(ws, other);
                if (rsc is null)
                {
                    return false;
                }
                Colocations.New(ws, id, null, score, rsc, rsc2, role1, role2, Influence(constraint, rsc));
            }
        }
        else
        {
            foreach (var first in set1.Resources)
            {
                var a = ConstraintResources.Find(ws, first);
                if (a is null)
                {
                    return false;
                }
                var influence = Influence(constraint, a);
                foreach (var second in set2.Resources)
                {
                    var b = ConstraintResources.Find(ws, second);
                    if (b is null)
                    {
                        return false;
                    }
                    Colocations.New(ws, id, null, score, a, b, role1, role2, influence);
                }
            }
        }
        return true;
    }

    private static void UnpackSimple(WorkingSet ws, ColocationConstraint constraint, int score)
    {
        var dependent = ConstraintResources.Find(ws, constraint.Resource);
        var primary = ConstraintResources.Find(ws, constraint.WithResource);
        if (dependent is null || primary is null)
        {
            return;
        }
        Colocations.New(ws, constraint.Id, constraint.NodeAttribute, score, dependent, primary,
                        RoleText(constraint.ResourceRole), RoleText(constraint.WithResourceRole), Influence(constraint, dependent));
    }
}
