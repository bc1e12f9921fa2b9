using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Colocation;

/// <summary>All resources tied to one by mandatory colocations, directly or through chains.</summary>
internal static class ColocatedResources
{
    public static List<Resource> Collect(Resource rsc, Resource? orig, List<Resource> list)
    {
        if (rsc.Variant == ResourceVariant.Group)
        {
            orig ??= rsc;
            if (rsc.Group!.Colocated || (rsc.Parent?.IsClone ?? false))
            {
                foreach (var member in rsc.Children)
                {
                    list = Collect(member, orig, list);
                }
            }
            else if (rsc.Children.Count > 0)
            {
                list = Collect(rsc.Children[0], orig, list);
            }
        }
        return CollectCommon(rsc, orig, list);
    }

    private static List<Resource> CollectCommon(Resource rsc, Resource? orig, List<Resource> list)
    {
        orig ??= rsc;
        if (list.Contains(rsc))
        {
            return list;
        }
        list.Add(rsc);
        foreach (var constraint in rsc.ThisWith)
        {
            var primary = constraint.Primary;
            if (ReferenceEquals(primary, orig))
            {
                continue;
            }
            if (constraint.Score == Scores.Infinity
                && Colocations.Affects(rsc, primary, constraint, preview: true) == ColocationEffect.Location)
            {
                list = Collect(primary, orig, list);
            }
        }
        foreach (var constraint in rsc.WithThis)
        {
            var dependent = constraint.Dependent;
            if (ReferenceEquals(dependent, orig))
            {
                continue;
            }
            if (rsc.IsClone && !dependent.IsClone)
            {
                continue;
            }
            if (constraint.Score == Scores.Infinity
                && Colocations.Affects(dependent, rsc, constraint, preview: true) == ColocationEffect.Location)
            {
                list = Collect(dependent, orig, list);
            }
        }
        return list;
    }
}
