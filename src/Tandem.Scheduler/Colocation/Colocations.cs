using Tandem.Model.Resources;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Colocation;

/// <summary>
/// Creates colocations and decides what a colocation does at a given moment: move the dependent
/// (location scores), or change which instance is promoted (priority), or nothing yet.
/// </summary>
internal static class Colocations
{
    /// <summary>Creates a colocation (pcmk__new_colocation); a zero score is no constraint.</summary>
    public static void New(WorkingSet ws, string id, string? nodeAttribute, int score, Resource? dependent, Resource? primary,
                           string? dependentRole, string? primaryRole, bool influence)
    {
        if (score == 0 || dependent is null || primary is null)
        {
            return;
        }
        var colocation = new Working.Colocation
        {
            Id = id,
            Dependent = dependent,
            Primary = primary,
            Score = score,
            DependentRole = RoleFromText(dependentRole),
            PrimaryRole = RoleFromText(primaryRole),
            NodeAttribute = nodeAttribute,
            Influence = influence,
        };
        AddThisWith(dependent, colocation);
        AddWithThis(primary, colocation);
        ws.ColocationConstraints.Add(colocation);
        if (score <= -Scores.Infinity)
        {
            AntiColocationOrder(dependent, colocation.DependentRole, primary, colocation.PrimaryRole);
            AntiColocationOrder(primary, colocation.PrimaryRole, dependent, colocation.DependentRole);
        }
    }

    /// <summary>Role text as colocations read it: absent or Started means any role.</summary>
    private static Role RoleFromText(string? text)
    {
        if (text is null || text.Equals("Started", StringComparison.OrdinalIgnoreCase))
        {
            return Role.Unknown;
        }
        return RoleNames.TryParse(text, out var role) ? role : Role.Unknown;
    }

    public static void AddThisWith(Resource rsc, Working.Colocation colocation) =>
        GList.InsertSorted(rsc.ThisWith, colocation, ComparePrimaryPriority);

    public static void AddWithThis(Resource rsc, Working.Colocation colocation) =>
        GList.InsertSorted(rsc.WithThis, colocation, CompareDependentPriority);

    private static int CompareDependentPriority(Working.Colocation a, Working.Colocation b) =>
        CompareByResource(a.Dependent, b.Dependent);

    private static int ComparePrimaryPriority(Working.Colocation a, Working.Colocation b) =>
        CompareByResource(a.Primary, b.Primary);

    private static int CompareByResource(Resource r1, Resource r2)
    {
        if (r1.Priority > r2.Priority)
        {
            return -1;
        }
        if (r1.Priority < r2.Priority)
        {
            return 1;
        }
        // Clones before primitives and groups.
        if (r1.Variant > r2.Variant)
        {
            return -1;
        }
        if (r1.Variant < r2.Variant)
        {
            return 1;
        }
        if (r1.Variant == ResourceVariant.Clone)
        {
            var p1 = r1.Is(ResourceFlags.Promotable);
            var p2 = r2.Is(ResourceFlags.Promotable);
            if (p1 && !p2)
            {
                return -1;
            }
            if (!p1 && p2)
            {
                return 1;
            }
        }
        return PcmkText.StrCmp(r1.Id, r2.Id);
    }

    private static void AntiColocationOrder(Resource first, Role firstRole, Resource then, Role thenRole)
    {
        string?[] firstTasks = [null, null];
        string?[] thenTasks = [null, null];
        if (firstRole == Role.Promoted)
        {
            firstTasks[0] = ActionFactory.Demote;
        }
        else
        {
            firstTasks[0] = ActionFactory.Stop;
            if (firstRole == Role.Unpromoted)
            {
                firstTasks[1] = ActionFactory.Promote;
            }
        }
        if (thenRole == Role.Promoted)
        {
            thenTasks[0] = ActionFactory.Promote;
        }
        else
        {
            thenTasks[0] = ActionFactory.Start;
            if (thenRole == Role.Unpromoted)
            {
                thenTasks[1] = ActionFactory.Demote;
            }
        }
        for (var f = 0; f <= 1 && firstTasks[f] is not null; f++)
        {
            for (var t = 0; t <= 1 && thenTasks[t] is not null; t++)
            {
                Orderings.OrderResourceActions(first, firstTasks[f]!, then, thenTasks[t]!, OrderFlags.AntiColocation);
            }
        }
    }

    /// <summary>Whether the dependent's preferences may move the primary (influence, or the primary is inactive).</summary>
    public static bool HasInfluence(Working.Colocation colocation, Resource? rsc)
    {
        rsc ??= colocation.Primary;
        if (colocation.Dependent.Is(ResourceFlags.AllowRemoteRemotes) && !rsc.Is(ResourceFlags.Failed) && rsc.RunningOn.Count == 1)
        {
            return false;
        }
        return colocation.Influence || rsc.RunningOn.Count == 0;
    }

    /// <summary>What applying the colocation now would do (pcmk__colocation_affects).</summary>
    public static ColocationEffect Affects(Resource dependent, Resource primary, Working.Colocation colocation, bool preview)
    {
        if (!preview && primary.Is(ResourceFlags.Provisional))
        {
            return ColocationEffect.Nothing;
        }
        if (colocation.DependentRole >= Role.Unpromoted && dependent.Parent is not null
            && dependent.Parent.Is(ResourceFlags.Promotable) && !dependent.Is(ResourceFlags.Provisional))
        {
            return ColocationEffect.Role;
        }
        if (!preview && !dependent.Is(ResourceFlags.Provisional))
        {
            return ColocationEffect.Nothing;
        }
        if (colocation.Score > 0 && colocation.DependentRole != Role.Unknown && colocation.DependentRole != dependent.NextRole)
        {
            return ColocationEffect.Nothing;
        }
        if (colocation.Score > 0 && colocation.PrimaryRole != Role.Unknown && colocation.PrimaryRole != primary.NextRole)
        {
            return ColocationEffect.Nothing;
        }
        if (colocation.Score < 0 && colocation.DependentRole != Role.Unknown && colocation.DependentRole == dependent.NextRole)
        {
            return ColocationEffect.Nothing;
        }
        if (colocation.Score < 0 && colocation.PrimaryRole != Role.Unknown && colocation.PrimaryRole == primary.NextRole)
        {
            return ColocationEffect.Nothing;
        }
        return ColocationEffect.Location;
    }

    /// <summary>Applies a colocation to the dependent's node scores given where the primary was placed.</summary>
    public static void ApplyToWeights(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        var attribute = colocation.NodeAttribute ?? "#id";
        string? value = null;
        if (primary.AllocatedTo is not null)
        {
            value = primary.AllocatedTo.Details.Attribute(attribute);
        }
        else if (colocation.Score < 0)
        {
            return;
        }
        var work = dependent.AllowedNodes.Copy();
        foreach (var node in work.Values)
        {
            if (primary.AllocatedTo is null)
            {
                node.Weight = Scores.Add(-colocation.Score, node.Weight);
            }
            else if (string.Equals(node.Details.Attribute(attribute), value, StringComparison.OrdinalIgnoreCase)
                     || (node.Details.Attribute(attribute) is null && value is null))
            {
                if (colocation.Score < Scores.Infinity)
                {
                    node.Weight = Scores.Add(colocation.Score, node.Weight);
                }
            }
            else if (colocation.Score >= Scores.Infinity)
            {
                node.Weight = Scores.Add(-colocation.Score, node.Weight);
            }
        }
        if (colocation.Score <= -Scores.Infinity || colocation.Score >= Scores.Infinity || NodeAvailability.AnyAvailable(work))
        {
            dependent.AllowedNodes = work;
        }
    }

    /// <summary>Applies a colocation to a promotable instance's promotion priority (pcmk__apply_coloc_to_priority).</summary>
    public static void ApplyToPriority(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        if (primary.AllocatedTo is null || dependent.AllocatedTo is null)
        {
            return;
        }
        var attribute = colocation.NodeAttribute ?? "#id";
        var dependentValue = dependent.AllocatedTo.Details.Attribute(attribute);
        var primaryValue = primary.AllocatedTo.Details.Attribute(attribute);
        if (!string.Equals(dependentValue, primaryValue, StringComparison.OrdinalIgnoreCase))
        {
            if (colocation.Score == Scores.Infinity && colocation.DependentRole == Role.Promoted)
            {
                dependent.Priority = -Scores.Infinity;
            }
            return;
        }
        if (colocation.PrimaryRole != Role.Unknown && colocation.PrimaryRole != primary.NextRole)
        {
            return;
        }
        var multiplier = colocation.DependentRole == Role.Unpromoted ? -1 : 1;
        dependent.Priority = Scores.Add(multiplier * colocation.Score, dependent.Priority);
    }

    /// <summary>
    /// Makes dependents of a resource that cannot start (or be promoted) unable to reach their colocated
    /// role too, when the colocation is mandatory (pcmk__block_colocation_dependents).
    /// </summary>
    public static void BlockDependents(WorkingSet ws, SchedAction action)
    {
        if (action.Is(ActionFlags.Runnable))
        {
            return;
        }
        var isStart = action.Task == ActionFactory.Start;
        if (!isStart && action.Task != ActionFactory.Promote)
        {
            return;
        }
        var rsc = action.Rsc!.Top;
        if (rsc.Parent is not null)
        {
            rsc = rsc.Parent;
        }
        if (rsc.WithThis.Count == 0)
        {
            return;
        }
        foreach (var child in rsc.Children)
        {
            var childAction = ActionFactory.FindFirstAction(child.Actions, null, action.Task, null);
            if (childAction is null || childAction.Is(ActionFlags.Runnable))
            {
                return;
            }
        }
        foreach (var colocation in rsc.WithThis.ToList())
        {
            if (colocation.Score < Scores.Infinity)
            {
                continue;
            }
            if (!isStart && colocation.PrimaryRole != Role.Promoted)
            {
                continue;
            }
            MarkActionBlocked(ws, colocation.Dependent, colocation.DependentRole == Role.Promoted ? ActionFactory.Promote : ActionFactory.Start, action.Rsc);
        }
    }

    private static void MarkActionBlocked(WorkingSet ws, Resource rsc, string task, Resource reason)
    {
        var reasonText = $"colocation with {reason.Id}";
        foreach (var action in rsc.Actions.ToList())
        {
            if (action.Is(ActionFlags.Runnable) && string.Equals(action.Task, task, StringComparison.OrdinalIgnoreCase))
            {
                action.Clear(ActionFlags.Runnable);
                ActionFactory.SetReason(action, reasonText, false);
                BlockDependents(ws, action);
                ActionUpdates.UpdateActionForOrderings(ws, action);
            }
        }
        foreach (var child in rsc.Children)
        {
            MarkActionBlocked(ws, child, task, reason);
        }
    }
}
