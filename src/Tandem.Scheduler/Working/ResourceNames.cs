namespace Tandem.Scheduler.Working;

/// <summary>
/// The resources of a working set by the names history and constraints use for them (the id, or the
/// history name of an anonymous clone instance), so that finding one is not a walk over every resource:
/// with a thousand resources and history on many nodes, that walk (pe_find_resource's) dominated a
/// scheduling run. The answers are the walk's: the matches in depth-first order of the resource tree.
/// Built on first use; resources and history names added later are noted as they appear.
/// </summary>
internal sealed class ResourceNames(WorkingSet ws)
{
    private Dictionary<string, List<Resource>>? _byName;

    /// <summary>A resource was given a (history) name.</summary>
    public void Note(Resource rsc, string name)
    {
        if (_byName is not null)
        {
            Add(name, rsc);
        }
    }

    /// <summary>A resource (with its children) joined the tree: at the top or under a clone.</summary>
    public void NoteTree(Resource rsc)
    {
        if (_byName is not null)
        {
            AddTree(rsc);
        }
    }

    /// <summary>The first resource, depth first, whose id or history name is <paramref name="name"/>.</summary>
    public Resource? First(string name)
    {
        var matches = Matches(name);
        return matches.Count == 0 ? null : matches[0];
    }

    /// <summary>Every resource whose id or history name is <paramref name="name"/>, depth first.</summary>
    public List<Resource> Matches(string name)
    {
        if (_byName is null)
        {
            _byName = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
            foreach (var top in ws.Resources)
            {
                AddTree(top);
            }
        }
        if (!_byName.TryGetValue(name, out var candidates))
        {
            return [];
        }
        // A history name can be taken away again: the list keeps every resource that ever had the name.
        var matches = new List<Resource>(candidates.Count);
        foreach (var rsc in candidates)
        {
            if (rsc.Id == name || rsc.CloneName == name)
            {
                matches.Add(rsc);
            }
        }
        if (matches.Count > 1)
        {
            matches.Sort(CompareDepthFirst);
        }
        return matches;
    }

    private void AddTree(Resource rsc)
    {
        Add(rsc.Id, rsc);
        if (rsc.CloneName is { } historyName)
        {
            Add(historyName, rsc);
        }
        foreach (var child in rsc.Children)
        {
            AddTree(child);
        }
    }

    private void Add(string name, Resource rsc)
    {
        if (!_byName!.TryGetValue(name, out var list))
        {
            list = [];
            _byName[name] = list;
        }
        if (!list.Contains(rsc))
        {
            list.Add(rsc);
        }
    }

    /// <summary>Pre-order of the tree: an ancestor first, siblings in their parent's order, tops in the working set's.</summary>
    private int CompareDepthFirst(Resource a, Resource b)
    {
        var pathA = PathFromTop(a);
        var pathB = PathFromTop(b);
        if (!ReferenceEquals(pathA[0], pathB[0]))
        {
            return ws.Resources.IndexOf(pathA[0]).CompareTo(ws.Resources.IndexOf(pathB[0]));
        }
        for (var i = 1; ; i++)
        {
            if (i == pathA.Count || i == pathB.Count)
            {
                return pathA.Count.CompareTo(pathB.Count);
            }
            if (!ReferenceEquals(pathA[i], pathB[i]))
            {
                var siblings = pathA[i - 1].Children;
                return siblings.IndexOf(pathA[i]).CompareTo(siblings.IndexOf(pathB[i]));
            }
        }
    }

    private static List<Resource> PathFromTop(Resource rsc)
    {
        var path = new List<Resource>();
        for (var r = rsc; r is not null; r = r.Parent)
        {
            path.Add(r);
        }
        path.Reverse();
        return path;
    }
}
