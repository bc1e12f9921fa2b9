using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>
/// Questions asked of a resource of any kind: where it is (running or assigned), what role it has or will
/// have, whether it is active, and lookups of descendants by id.
/// </summary>
internal static class ResourceQueries
{
    /// <summary>The node the resource is active on, as pe__current_node picks it (see <see cref="FindActiveOn"/>).</summary>
    public static Node? CurrentNode(this Resource rsc) => rsc.FindActiveOn(out _, out _);

    /// <summary>
    /// Nodes where the resource (or any descendant) is: <paramref name="current"/> 0 = assigned,
    /// 1 = running, 2 = running or pending. Returns the node when there is exactly one.
    /// </summary>
    public static Node? Location(this Resource rsc, List<Node>? list, int current)
    {
        var result = new List<Node>();
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                child.Location(result, current);
            }
        }
        else if (current != 0)
        {
            result.AddRange(rsc.RunningOn);
            if (current == 2 && rsc.PendingNode is not null && !result.Any(n => n.Id == rsc.PendingNode.Id))
            {
                result.Add(FindNode(rsc.Cluster, rsc.PendingNode));
            }
        }
        else if (rsc.AllocatedTo is not null)
        {
            result.Add(rsc.AllocatedTo);
        }
        if (list is not null)
        {
            foreach (var node in result)
            {
                if (!list.Any(n => n.Id == node.Id))
                {
                    list.Add(node);
                }
            }
        }
        return result.Count == 1 ? result[0] : null;
    }

    private static Node FindNode(WorkingSet ws, NodeDetails details) =>
        ws.Nodes.First(n => ReferenceEquals(n.Details, details));

    /// <summary>The role now (<paramref name="current"/>) or after the transition; the highest among children.</summary>
    public static Role State(this Resource rsc, bool current)
    {
        if (rsc.Variant == ResourceVariant.Primitive)
        {
            return current ? rsc.Role : rsc.NextRole;
        }
        var role = Role.Unknown;
        foreach (var child in rsc.Children)
        {
            var childRole = child.State(current);
            if (childRole > role)
            {
                role = childRole;
            }
        }
        return role;
    }

    /// <summary>Whether the resource is active (any part, or with <paramref name="all"/> every part).</summary>
    public static bool Active(this Resource rsc, bool all)
    {
        if (rsc.Variant == ResourceVariant.Primitive)
        {
            foreach (var node in rsc.RunningOn)
            {
                if (node.Details.Unclean)
                {
                    return true;
                }
                if (!node.Details.Online && rsc.Is(ResourceFlags.Managed))
                {
                    continue;
                }
                return true;
            }
            return false;
        }
        if (rsc.Variant == ResourceVariant.Group)
        {
            var cAll = true;
            var cAny = false;
            foreach (var child in rsc.Children)
            {
                if (child.Active(all))
                {
                    cAny = true;
                }
                else
                {
                    cAll = false;
                }
            }
            return cAny && (!all || cAll);
        }
        foreach (var child in rsc.Children)
        {
            var childActive = child.Active(all);
            if (!all && childActive)
            {
                return true;
            }
            if (all && !childActive)
            {
                return false;
            }
        }
        return all;
    }

    /// <summary>Whether a flag is set on the resource or (any/all of) its descendants (is_set_recursive).</summary>
    public static bool IsSetRecursive(this Resource rsc, ResourceFlags flag, bool any)
    {
        var all = !any;
        if (rsc.Is(flag))
        {
            if (any)
            {
                return true;
            }
        }
        else if (all)
        {
            return false;
        }
        foreach (var child in rsc.Children)
        {
            if (child.IsSetRecursive(flag, any))
            {
                if (any)
                {
                    return true;
                }
            }
            else if (all)
            {
                return false;
            }
        }
        return all;
    }

    /// <summary>Looks up the resource or a descendant by id (native_find_rsc).</summary>
    public static Resource? FindRsc(this Resource rsc, string id, NodeDetails? onNode, FindFlags flags)
    {
        var match = false;
        if ((flags & FindFlags.Clone) != 0)
        {
            if (!rsc.Top.IsClone)
            {
                match = false;
            }
            else if (id == rsc.Id || id == rsc.XmlId)
            {
                match = true;
            }
        }
        else if (id == rsc.Id)
        {
            match = true;
        }
        else if ((flags & FindFlags.Renamed) != 0 && rsc.CloneName is not null && rsc.CloneName == id)
        {
            match = true;
        }
        else if ((flags & FindFlags.Any) != 0 || ((flags & FindFlags.Anon) != 0 && !rsc.Is(ResourceFlags.Unique)))
        {
            match = BaseNameEquals(rsc, id);
        }
        if (match && onNode is not null && !IsOnNode(rsc, onNode, flags))
        {
            match = false;
        }
        if (match)
        {
            return rsc;
        }
        foreach (var child in rsc.Children)
        {
            var result = child.FindRsc(id, onNode, flags);
            if (result is not null)
            {
                return result;
            }
        }
        return null;
    }

    private static bool IsOnNode(Resource rsc, NodeDetails node, FindFlags flags)
    {
        if ((flags & FindFlags.Current) != 0 && rsc.RunningOn.Count > 0)
        {
            return rsc.RunningOn.Any(n => ReferenceEquals(n.Details, node));
        }
        if ((flags & FindFlags.Inactive) != 0 && rsc.RunningOn.Count == 0)
        {
            return true;
        }
        return (flags & FindFlags.Current) == 0 && rsc.AllocatedTo is not null && ReferenceEquals(rsc.AllocatedTo.Details, node);
    }

    /// <summary>Whether <paramref name="id"/> equals the resource id without its instance suffix.</summary>
    private static bool BaseNameEquals(Resource rsc, string id)
    {
        var baseName = CloneIds.Strip(rsc.Id);
        return baseName == id;
    }

    /// <summary>
    /// The node a resource is active on, preferring the partial migration source, then (when it does not
    /// need fencing) a clean online node (pe__find_active_on). Counts all and clean active nodes.
    /// </summary>
    public static Node? FindActiveOn(this Resource rsc, out int countAll, out int countClean)
    {
        countAll = 0;
        countClean = 0;
        Node? active = null;
        foreach (var node in rsc.RunningOn)
        {
            var isHappy = node.Details.Online && !node.Details.Unclean;
            countAll++;
            if (isHappy)
            {
                countClean++;
            }
            if (rsc.PartialMigrationSource is not null)
            {
                if (ReferenceEquals(node.Details, rsc.PartialMigrationSource.Details))
                {
                    active = node;
                }
            }
            else if (!rsc.Is(ResourceFlags.NeedsFencing))
            {
                if (isHappy && (active is null || !active.Details.Online || active.Details.Unclean))
                {
                    active = node;
                }
            }
            active ??= node;
        }
        return active;
    }

    /// <summary>pe__find_active_requires: the active node, counting clean nodes unless fencing is required.</summary>
    public static Node? FindActiveRequires(this Resource rsc, out int count)
    {
        var node = rsc.FindActiveOn(out var all, out var clean);
        count = rsc.Is(ResourceFlags.NeedsFencing) ? all : clean;
        return node;
    }

    public static Resource LastGroupMember(this Resource group) => group.Children[^1];

    /// <summary>The displayed id: the configured id for anonymous clone instances.</summary>
    public static string PrintableId(this Resource rsc) => rsc.Is(ResourceFlags.Unique) ? rsc.Id : rsc.XmlId;

    public static bool IsAncestorOf(this Resource ancestor, Resource child)
    {
        var p = child.Parent;
        while (p is not null)
        {
            if (ReferenceEquals(p, ancestor))
            {
                return true;
            }
            p = p.Parent;
        }
        return false;
    }
}
