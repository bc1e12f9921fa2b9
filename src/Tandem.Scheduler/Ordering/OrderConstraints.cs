using Tandem.Model.Constraints;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Ordering;

/// <summary>
/// rsc_order constraints: kind (mandatory, optional, serialize), symmetry (the inverse ordering for
/// stopping), clone-min and require-all (a pseudo-action that needs only some instances), resource sets
/// and tags (pcmk__unpack_ordering).
/// </summary>
internal static class OrderConstraints
{
    private enum Symmetry
    {
        Asymmetric,
        Symmetric,
        SymmetricInverse,
    }

    public static void Unpack(WorkingSet ws, OrderConstraint constraint)
    {
        var kind = KindOf(constraint.Kind, constraint.Score);
        var symmetry = SymmetryOf(constraint.Kind, constraint.Score, constraint.Symmetrical, kind, null);
        var expanded = ExpandTags(ws, constraint);
        if (expanded is null)
        {
            return;
        }
        ResourceSet? last = null;
        foreach (var set in expanded.Sets)
        {
            if (!UnpackSet(ws, set, kind, constraint.Symmetrical))
            {
                return;
            }
            if (last is not null)
            {
                if (!OrderSets(ws, expanded.Id, last, set, kind, symmetry))
                {
                    return;
                }
                if (symmetry == Symmetry.Symmetric && !OrderSets(ws, expanded.Id, set, last, kind, Symmetry.SymmetricInverse))
                {
                    return;
                }
            }
            last = set;
        }
        if (last is null)
        {
            UnpackSimple(ws, expanded, kind, symmetry);
        }
    }

    /// <summary>get_ordering_type: kind wins; a score of 0 without a kind means optional.</summary>
    private static OrderKind KindOf(OrderKind? kind, Model.Scores.Score? score) =>
        kind ?? (score is { Value: 0 } ? OrderKind.Optional : OrderKind.Mandatory);

    private static Symmetry SymmetryOf(OrderKind? ownKind, Model.Scores.Score? ownScore, bool? symmetrical, OrderKind parentKind, bool? parentSymmetrical)
    {
        var kind = ownKind is not null || ownScore is not null ? KindOf(ownKind, ownScore) : parentKind;
        var explicitValue = symmetrical ?? parentSymmetrical;
        if (explicitValue is { } value)
        {
            return value && kind != OrderKind.Serialize ? Symmetry.Symmetric : Symmetry.Asymmetric;
        }
        return kind == OrderKind.Serialize ? Symmetry.Asymmetric : Symmetry.Symmetric;
    }

    private static OrderFlags FlagsFor(OrderKind kind, string first, Symmetry symmetry)
    {
        var flags = OrderFlags.Optional;
        switch (kind)
        {
            case OrderKind.Serialize:
                flags |= OrderFlags.SerializeOnly;
                break;
            case OrderKind.Mandatory:
                switch (symmetry)
                {
                    case Symmetry.Asymmetric:
                        flags |= OrderFlags.Asymmetrical;
                        break;
                    case Symmetry.Symmetric:
                        flags |= OrderFlags.ImpliesThen;
                        if (first is ActionFactory.Start or ActionFactory.Promote)
                        {
                            flags |= OrderFlags.RunnableLeft;
                        }
                        break;
                    case Symmetry.SymmetricInverse:
                        flags |= OrderFlags.ImpliesFirst;
                        break;
                }
                break;
        }
        return flags;
    }

    private static string? Invert(string action) => action switch
    {
        ActionFactory.Start => ActionFactory.Stop,
        ActionFactory.Stop => ActionFactory.Start,
        ActionFactory.Promote => ActionFactory.Demote,
        ActionFactory.Demote => ActionFactory.Promote,
        ActionFactory.Promoted => ActionFactory.Demoted,
        ActionFactory.Demoted => ActionFactory.Promoted,
        ActionFactory.Started => ActionFactory.Stopped,
        ActionFactory.Stopped => ActionFactory.Started,
        _ => null,
    };

    private static string ActionText(ResourceAction? action) => action?.ToName() ?? ActionFactory.Start;

    /// <summary>unpack_order_tags: null when the constraint must be ignored.</summary>
    private static OrderConstraint? ExpandTags(WorkingSet ws, OrderConstraint constraint)
    {
        if (!constraint.Sets.IsEmpty)
        {
            var sets = ConstraintResources.ExpandTagsInSets(ws, constraint.Sets);
            return sets is null ? null : constraint with { Sets = sets.Value };
        }
        if (constraint.First is not { } firstId || constraint.Then is not { } thenId)
        {
            return constraint;
        }
        if (!ConstraintResources.IsValid(ws, firstId, out var first, out _)
            || !ConstraintResources.IsValid(ws, thenId, out var then, out _))
        {
            return null;
        }
        if (first is not null && then is not null)
        {
            return constraint;
        }
        var firstSet = ConstraintResources.ToSet(ws, firstId, convertResource: true)! with { Action = constraint.FirstAction };
        var thenSet = ConstraintResources.ToSet(ws, thenId, convertResource: true)! with { Action = constraint.ThenAction };
        return constraint with { First = null, Then = null, FirstAction = null, ThenAction = null, Sets = [firstSet, thenSet] };
    }

    private static void UnpackSimple(WorkingSet ws, OrderConstraint constraint, OrderKind kind, Symmetry symmetry)
    {
        var first = ConstraintResources.Find(ws, constraint.First);
        var then = ConstraintResources.Find(ws, constraint.Then);
        if (first is null || then is null)
        {
            return;
        }
        var actionFirst = ActionText(constraint.FirstAction);
        var actionThen = constraint.ThenAction is { } t ? t.ToName() : actionFirst;
        var flags = FlagsFor(kind, actionFirst, symmetry);
        if (kind == OrderKind.Optional && then.RestartTypeRestart)
        {
            flags |= OrderFlags.ImpliesThen;
        }
        var minimum = MinimumFirstInstances(first, constraint.RequireAll);
        if (minimum > 0)
        {
            CloneMinOrdering(ws, constraint.Id, first, actionFirst, then, actionThen, flags, minimum);
        }
        else
        {
            Orderings.OrderResourceActions(first, actionFirst, then, actionThen, flags);
        }
        if (symmetry == Symmetry.Symmetric)
        {
            InverseOrdering(kind, first, actionFirst, then, actionThen);
        }
    }

    private static int MinimumFirstInstances(Resource first, bool? requireAll)
    {
        if (!first.IsClone)
        {
            return 0;
        }
        if (first.Meta.TryGetValue("clone-min", out var cloneMin))
        {
            var value = Model.Status.StatusXmlReader.ParseLong(cloneMin) ?? 0;
            return (int)Math.Clamp(value, 0, int.MaxValue);
        }
        return requireAll == false ? 1 : 0;
    }

    /// <summary>"Then" waits for a pseudo-action that needs only <paramref name="minimum"/> instances of "first".</summary>
    private static void CloneMinOrdering(WorkingSet ws, string id, Resource first, string actionFirst, Resource then, string actionThen,
                                         OrderFlags flags, int minimum)
    {
        var met = ActionFactory.PseudoOp(ws, $"clone-one-or-more:{id}");
        met.RequiredRunnableBefore = minimum;
        met.Set(ActionFlags.RequiresAny);
        foreach (var child in first.Children)
        {
            Orderings.New(ws, child, OpKeys.Key(child.Id, actionFirst, 0), null, null, null, met,
                          OrderFlags.OneOrMore | OrderFlags.ImpliesThenPrinted);
        }
        Orderings.New(ws, null, null, met, then, OpKeys.Key(then.Id, actionThen, 0), null, flags | OrderFlags.RunnableLeft);
    }

    private static void InverseOrdering(OrderKind kind, Resource first, string actionFirst, Resource then, string actionThen)
    {
        var inverseThen = Invert(actionThen);
        var inverseFirst = Invert(actionFirst);
        if (inverseThen is null || inverseFirst is null)
        {
            return;
        }
        var flags = FlagsFor(kind, inverseFirst, Symmetry.SymmetricInverse);
        if (kind == OrderKind.Optional && first.RestartTypeRestart)
        {
            flags |= OrderFlags.ImpliesFirst;
        }
        Orderings.OrderResourceActions(then, inverseThen, first, inverseFirst, flags);
    }

    /// <summary>unpack_order_set: members of a set ordered one after another (or serialized), and the inverse.</summary>
    private static bool UnpackSet(WorkingSet ws, ResourceSet set, OrderKind parentKind, bool? parentSymmetrical)
    {
        var action = ActionText(set.Action);
        var localKind = set.Kind ?? parentKind;
        var sequential = set.Sequential ?? true;
        var symmetry = SymmetryOf(set.Kind, set.Score, null, parentKind, parentSymmetrical);
        var flags = FlagsFor(localKind, action, symmetry);
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
        if (resources.Count == 1)
        {
            return true;
        }
        Resource? last = null;
        for (var i = 0; i < resources.Count; i++)
        {
            var rsc = resources[i];
            if (localKind == OrderKind.Serialize)
            {
                for (var j = i + 1; j < resources.Count; j++)
                {
                    var then = resources[j];
                    Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, action, 0), null, then, OpKeys.Key(then.Id, action, 0), null, flags);
                }
            }
            else if (sequential)
            {
                if (last is not null)
                {
                    Orderings.OrderResourceActions(last, action, rsc, action, flags);
                }
                last = rsc;
            }
        }
        if (symmetry == Symmetry.Asymmetric)
        {
            return true;
        }
        var inverse = Invert(action);
        if (inverse is null)
        {
            return true;
        }
        flags = FlagsFor(localKind, inverse, Symmetry.SymmetricInverse);
        last = null;
        foreach (var rsc in resources)
        {
            if (sequential)
            {
                if (last is not null)
                {
                    Orderings.OrderResourceActions(rsc, inverse, last, inverse, flags);
                }
                last = rsc;
            }
        }
        return true;
    }

    /// <summary>order_rsc_sets: the last of set 1 (or each) before the first of set 2 (or each).</summary>
    private static bool OrderSets(WorkingSet ws, string id, ResourceSet set1, ResourceSet set2, OrderKind kind, Symmetry symmetry)
    {
        var action1 = ActionText(set1.Action);
        var action2 = ActionText(set2.Action);
        var requireAll = set1.RequireAll ?? true;
        if (symmetry == Symmetry.SymmetricInverse)
        {
            action1 = Invert(action1) ?? action1;
            action2 = Invert(action2) ?? action2;
        }
        if (action1 is ActionFactory.Stop or ActionFactory.Demote)
        {
            // One-or-more applies only while starting; stopping waits for everything.
            requireAll = true;
        }
        var flags = FlagsFor(kind, action2, symmetry);
        if (!requireAll)
        {
            var unordered = ActionFactory.PseudoOp(ws, $"one-or-more:{set1.Id}");
            unordered.Set(ActionFlags.RequiresAny);
            foreach (var rid in set1.Resources)
            {
                var rsc = ConstraintResources.Find(ws, rid);
                if (rsc is null)
                {
                    return false;
                }
                Orderings.New(ws, rsc, OpKeys.Key(rsc.Id, action1, 0), null, null, null, unordered,
                              OrderFlags.OneOrMore | OrderFlags.ImpliesThenPrinted);
            }
            foreach (var rid in set2.Resources)
            {
                var rsc = ConstraintResources.Find(ws, rid);
                if (rsc is null)
                {
                    return false;
                }
                Orderings.New(ws, null, null, unordered, rsc, OpKeys.Key(rsc.Id, action2, 0), null, flags | OrderFlags.RunnableLeft);
            }
            return true;
        }
        Resource? rsc1 = null;
        Resource? rsc2 = null;
        if (set1.Sequential == true && set1.Resources.Count > 0)
        {
            rsc1 = ConstraintResources.Find(ws, symmetry == Symmetry.SymmetricInverse ? set1.Resources[0] : set1.Resources[^1]);
            if (rsc1 is null)
            {
                return false;
            }
        }
        if (set2.Sequential == true && set2.Resources.Count > 0)
        {
            rsc2 = ConstraintResources.Find(ws, symmetry == Symmetry.SymmetricInverse ? set2.Resources[^1] : set2.Resources[0]);
            if (rsc2 is null)
            {
                return false;
            }
        }
        if (rsc1 is not null && rsc2 is not null)
        {
            Orderings.OrderResourceActions(rsc1, action1, rsc2, action2, flags);
        }
        else if (rsc1 is not null)
        {
            foreach (var rid in set2.Resources)
            {
                var rsc = ConstraintResources.Find(ws, rid);
                if (rsc is null)
                {
                    return false;
                }
                Orderings.OrderResourceActions(rsc1, action1, rsc, action2, flags);
            }
        }
        else if (rsc2 is not null)
        {
            foreach (var rid in set1.Resources)
            {
                var rsc = ConstraintResources.Find(ws, rid);
                if (rsc is null)
                {
                    return false;
                }
                Orderings.OrderResourceActions(rsc, action1, rsc2, action2, flags);
            }
        }
        else
        {
            foreach (var rid1 in set1.Resources)
            {
                var a = ConstraintResources.Find(ws, rid1);
                if (a is null)
                {
                    return false;
                }
                foreach (var rid2 in set2.Resources)
                {
                    var b = ConstraintResources.Find(ws, rid2);
                    if (b is null)
                    {
                        return false;
                    }
                    Orderings.OrderResourceActions(a, action1, b, action2, flags);
                }
            }
        }
        return true;
    }
}
