using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;

namespace Tandem.Model.Editing;

/// <summary>Changes to the tree of resources (top level, groups, clones) that keep everything else as it is.</summary>
internal static class ResourceTree
{
    /// <exception cref="ConfigEditException">No resource has this id.</exception>
    public static Resource Find(ClusterConfiguration configuration, string id) =>
        configuration.FindResource(id) ?? throw new ConfigEditException(Unknown(configuration, id));

    public static string Unknown(ClusterConfiguration configuration, string id)
    {
        var ids = configuration.AllResources.Select(r => r.Id).ToList();
        return ids.Count == 0
            ? $"unknown resource '{id}' (no resource is configured)"
            : $"unknown resource '{id}' (configured: {string.Join(", ", ids.Take(12))}{(ids.Count > 12 ? ", ..." : "")})";
    }

    /// <summary>Replaces the resource <paramref name="id"/> wherever it is.</summary>
    public static ValueList<Resource> Replace(ValueList<Resource> resources, string id, Func<Resource, Resource> change) =>
        resources.Select(r => Replace(r, id, change)).ToValueList();

    private static Resource Replace(Resource resource, string id, Func<Resource, Resource> change)
    {
        if (resource.Id == id)
        {
            return change(resource);
        }
        return resource switch
        {
            Group g => g with { Members = g.Members.Select(m => (Primitive)Replace(m, id, change)).ToValueList() },
            Clone c => c with { Child = Replace(c.Child, id, change) },
            Bundle { Primitive: { } p } b => b with { Primitive = (Primitive)Replace(p, id, change) },
            _ => resource,
        };
    }

    /// <summary>
    /// Takes the resource <paramref name="id"/> out of the tree; a group left empty and a clone left without
    /// its child go too. <paramref name="removed"/> receives every id that left the configuration.
    /// </summary>
    public static ValueList<Resource> Remove(ValueList<Resource> resources, string id, List<string> removed) =>
        resources.Select(r => Without(r, id, removed)).OfType<Resource>().ToValueList();

    private static Resource? Without(Resource resource, string id, List<string> removed)
    {
        if (resource.Id == id)
        {
            removed.AddRange(resource.SelfAndDescendants.Select(r => r.Id));
            return null;
        }
        switch (resource)
        {
            case Group g when g.Members.Any(m => m.Id == id):
                removed.Add(id);
                var members = g.Members.Where(m => m.Id != id).ToValueList();
                if (members.IsEmpty)
                {
                    removed.Add(g.Id);
                    return null;
                }
                return g with { Members = members };
            case Clone c:
                var child = Without(c.Child, id, removed);
                if (child is null)
                {
                    removed.Add(c.Id);
                    return null;
                }
                return c with { Child = child };
            case Bundle { Primitive: { } p } b when p.Id == id:
                removed.Add(id);
                return b with { Primitive = null };
            default:
                return resource;
        }
    }

    /// <summary>Drops the constraints that name any of <paramref name="ids"/>, saying which.</summary>
    public static ValueList<Constraint> DropConstraintsNaming(ValueList<Constraint> constraints, IReadOnlyCollection<string> ids, List<string> notes)
    {
        var kept = new List<Constraint>();
        foreach (var constraint in constraints)
        {
            var named = constraint.ReferencedResources.Where(ids.Contains).Distinct().ToList();
            if (named.Count == 0)
            {
                kept.Add(constraint);
            }
            else
            {
                notes.Add($"removed {KindOf(constraint)} constraint '{constraint.Id}' (it named {string.Join(", ", named.Select(n => $"'{n}'"))})");
            }
        }
        return kept.ToValueList();
    }

    public static string KindOf(Constraint constraint) => constraint switch
    {
        LocationConstraint => "location",
        ColocationConstraint => "colocation",
        OrderConstraint => "order",
        _ => "ticket",
    };

    public static string KindOf(Resource resource) => resource switch
    {
        Primitive => "primitive",
        Group => "group",
        Clone c => c.IsPromotable ? "promotable clone" : "clone",
        _ => "bundle",
    };
}
