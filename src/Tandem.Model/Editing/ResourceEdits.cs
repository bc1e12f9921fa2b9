using System.Text;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Resources;
using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>
/// `tandem resource create|update|delete|group|clone|promotable` and the meta attributes behind
/// enable/disable/manage/unmanage. Ids are the text face's, so a resource made by commands equals the
/// same resource written as text.
/// </summary>
public static class ResourceEdits
{
    /// <summary>A primitive (pcs: resource create ID AGENT [params] [op ...] [meta ...]), optionally put in a group.</summary>
    public static ConfigEdit Create(ClusterConfiguration configuration, string id, string agent, ResourceOptions options, string? group = null, bool disabled = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        if (configuration.FindResource(id) is { } existing)
        {
            throw new ConfigEditException($"resource '{id}' already exists (a {ResourceTree.KindOf(existing)}); use 'tandem resource update {id}' to change it");
        }
        if (!ResourceAgent.TryParse(agent, out var parsedAgent, out var agentError))
        {
            throw new ConfigEditException(agentError);
        }
        if (!ResourceAgent.KnownClasses.Contains(parsedAgent.Class))
        {
            throw new ConfigEditException($"unknown resource agent class '{parsedAgent.Class}' in '{agent}' (expected {string.Join(", ", ResourceAgent.KnownClasses.Order(StringComparer.Ordinal))})");
        }
        var notes = new List<string>();
        var meta = options.Meta.ToList();
        if (disabled)
        {
            meta.RemoveAll(p => p.Key == ResourceMeta.TargetRoleName);
            meta.Add(KeyValuePair.Create(ResourceMeta.TargetRoleName, "Stopped"));
        }
        foreach (var (name, value) in meta)
        {
            OptionChecks.Meta($"primitive {id}", name, value, notes);
        }
        var statement = new StringBuilder($"primitive {TextStatements.Word(id)} {TextStatements.Word(agent)}");
        AppendPairs(statement, "params", options.Params);
        AppendPairs(statement, "meta", meta);
        foreach (var op in options.Operations)
        {
            AppendPairs(statement.Append(" op ").Append(TextStatements.Word(op.Name)), null, op.Settings);
        }
        var created = TextStatements.Append(configuration, statement.ToString());
        if (group is null)
        {
            return new ConfigEdit(created, notes);
        }
        var grouped = GroupAdd(created, group, [id]);
        return new ConfigEdit(grouped.Configuration, [.. notes, .. grouped.Notes]);
    }

    /// <summary>
    /// Changes parameters and meta attributes (name= with an empty value removes one) and operations (an
    /// operation replaces the first one with the same action and role, or is added), as pcs resource update.
    /// </summary>
    public static ConfigEdit Update(ClusterConfiguration configuration, string id, ResourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var resource = ResourceTree.Find(configuration, id);
        if (options.Params.Count + options.Meta.Count + options.Operations.Count == 0)
        {
            throw new ConfigEditException($"nothing to update on '{id}': give name=value parameters, op ACTION ..., or meta name=value");
        }
        var notes = new List<string>();
        var parameters = resource.Params;
        foreach (var (name, value) in options.Params)
        {
            parameters = SetOrUnset(parameters, name, value, TextIds.Set(id, "instance_attributes", 0), $"parameter '{name}' of '{id}'", notes);
        }
        var meta = resource.Meta;
        foreach (var (name, value) in options.Meta)
        {
            if (value.Length > 0)
            {
                OptionChecks.Meta($"{ResourceTree.KindOf(resource)} {id}", name, value, notes);
            }
            meta = SetOrUnset(meta, name, value, TextIds.Set(id, "meta_attributes", 0), $"meta attribute '{name}' of '{id}'", notes);
        }
        var updated = resource with { Params = parameters, Meta = meta };
        if (options.Operations.Count > 0)
        {
            if (updated is not Primitive primitive)
            {
                throw new ConfigEditException($"'{id}' is a {ResourceTree.KindOf(resource)}: operations belong to primitives");
            }
            foreach (var spec in options.Operations)
            {
                primitive = WithOperation(primitive, spec);
            }
            updated = primitive;
        }
        return new ConfigEdit(configuration with { Resources = ResourceTree.Replace(configuration.Resources, id, _ => updated) }, notes);
    }

    /// <summary>Removes a resource and what cannot stay without it: the group or clone it leaves empty, and the constraints that name any of them.</summary>
    public static ConfigEdit Delete(ClusterConfiguration configuration, string id)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var resource = ResourceTree.Find(configuration, id);
        var removed = new List<string>();
        var resources = ResourceTree.Remove(configuration.Resources, id, removed);
        var notes = new List<string>();
        foreach (var other in removed.Where(r => r != id && !resource.SelfAndDescendants.Any(d => d.Id == r)))
        {
            notes.Add($"removed {ResourceTree.KindOf(configuration.FindResource(other)!)} '{other}' too (it held only '{id}')");
        }
        foreach (var child in resource.SelfAndDescendants.Skip(1))
        {
            notes.Add($"removed '{child.Id}' with it");
        }
        var constraints = ResourceTree.DropConstraintsNaming(configuration.Constraints, removed, notes);
        return new ConfigEdit(configuration with { Resources = resources, Constraints = constraints }, notes);
    }

    /// <summary>
    /// Puts primitives into a group, creating it where its first member stood (as the text face places a
    /// group), or appending to it; a member may come from another group.
    /// </summary>
    public static ConfigEdit GroupAdd(ClusterConfiguration configuration, string groupId, IReadOnlyList<string> memberIds)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(memberIds);
        if (memberIds.Count == 0)
        {
            throw new ConfigEditException($"name the primitives to put in group '{groupId}'");
        }
        if (memberIds.Distinct(StringComparer.Ordinal).Count() != memberIds.Count)
        {
            throw new ConfigEditException($"a resource is named twice for group '{groupId}'");
        }
        var existing = configuration.FindResource(groupId);
        if (existing is not null and not Group)
        {
            throw new ConfigEditException($"'{groupId}' is a {ResourceTree.KindOf(existing)}, not a group");
        }
        var members = new List<Primitive>();
        foreach (var memberId in memberIds)
        {
            var member = ResourceTree.Find(configuration, memberId);
            if (member is not Primitive primitive)
            {
                throw new ConfigEditException($"'{memberId}' is a {ResourceTree.KindOf(member)}: a group holds only primitives");
            }
            switch (configuration.ParentOf(memberId))
            {
                case Group g when g.Id == groupId:
                    throw new ConfigEditException($"'{memberId}' is already in group '{groupId}'");
                case Clone c:
                    throw new ConfigEditException($"'{memberId}' is inside clone '{c.Id}': a cloned primitive cannot be put in a group");
                case Bundle b:
                    throw new ConfigEditException($"'{memberId}' is inside bundle '{b.Id}'");
            }
            members.Add(primitive);
        }
        var notes = new List<string>();
        var before = configuration.Resources;
        var firstSlot = TopLevelSlot(before, memberIds[0]);
        var removed = new List<string>();
        var resources = before;
        foreach (var memberId in memberIds)
        {
            if (configuration.ParentOf(memberId) is Group from)
            {
                notes.Add($"moved '{memberId}' out of group '{from.Id}'");
            }
            resources = ResourceTree.Remove(resources, memberId, removed);
        }
        foreach (var emptied in removed.Except(memberIds))
        {
            notes.Add($"group '{emptied}' was left empty and is removed");
        }
        if (existing is Group group)
        {
            resources = ResourceTree.Replace(resources, groupId, g => ((Group)g) with { Members = ((Group)g).Members.AddRange(members) });
        }
        else
        {
            // The top-level resources that stood before the first member keep their place; the group takes the next.
            var index = before.Take(firstSlot).Count(r => resources.Any(kept => kept.Id == r.Id));
            resources = resources.Insert(index, new Group(groupId, members.ToValueList()));
        }
        var constraints = ResourceTree.DropConstraintsNaming(configuration.Constraints, removed.Except(memberIds).ToList(), notes);
        return new ConfigEdit(configuration with { Resources = resources, Constraints = constraints }, notes);
    }

    /// <summary>Takes primitives out of a group to the top level, right after it; an emptied group goes, with its constraints.</summary>
    public static ConfigEdit GroupRemove(ClusterConfiguration configuration, string groupId, IReadOnlyList<string> memberIds)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(memberIds);
        if (ResourceTree.Find(configuration, groupId) is not Group group)
        {
            throw new ConfigEditException($"'{groupId}' is a {ResourceTree.KindOf(configuration.FindResource(groupId)!)}, not a group");
        }
        if (configuration.ParentOf(groupId) is { } parent)
        {
            throw new ConfigEditException($"group '{groupId}' is inside {ResourceTree.KindOf(parent)} '{parent.Id}': its members cannot leave it for the top level");
        }
        var taken = new List<Primitive>();
        foreach (var memberId in memberIds.Count == 0 ? group.Members.Select(m => m.Id).ToList() : memberIds)
        {
            taken.Add(group.Members.FirstOrDefault(m => m.Id == memberId)
                ?? throw new ConfigEditException($"'{memberId}' is not in group '{groupId}' (its members: {string.Join(", ", group.Members.Select(m => m.Id))})"));
        }
        var notes = new List<string>();
        var rest = group.Members.Where(m => !taken.Contains(m)).ToValueList();
        var index = configuration.Resources.IndexWhere(r => r.Id == groupId);
        var resources = configuration.Resources.RemoveAt(index);
        var constraints = configuration.Constraints;
        if (rest.IsEmpty)
        {
            notes.Add($"group '{groupId}' is left empty and is removed");
            constraints = ResourceTree.DropConstraintsNaming(constraints, [groupId], notes);
        }
        else
        {
            resources = resources.Insert(index++, group with { Members = rest });
        }
        foreach (var member in taken)
        {
            resources = resources.Insert(index++, member);
        }
        return new ConfigEdit(configuration with { Resources = resources, Constraints = constraints }, notes);
    }

    /// <summary>
    /// Clones a top-level primitive or group (pcs: resource clone|promotable RSC [CLONE-ID] [meta]); the clone
    /// takes the resource's place, and a promotable clone gets promotable=true as the text face's "ms" does.
    /// </summary>
    public static ConfigEdit Clone(ClusterConfiguration configuration, string id, string? cloneId, IReadOnlyList<KeyValuePair<string, string>> meta, bool promotable)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(meta);
        var resource = ResourceTree.Find(configuration, id);
        if (resource is not (Primitive or Group))
        {
            throw new ConfigEditException($"'{id}' is a {ResourceTree.KindOf(resource)}: only a primitive or a group can be cloned");
        }
        if (configuration.ParentOf(id) is { } parent)
        {
            throw new ConfigEditException($"'{id}' is inside {ResourceTree.KindOf(parent)} '{parent.Id}': clone {(parent is Group ? "the group" : "it")} instead");
        }
        cloneId ??= id + "-clone";
        if (configuration.FindResource(cloneId) is { } taken)
        {
            throw new ConfigEditException($"resource '{cloneId}' already exists (a {ResourceTree.KindOf(taken)}); give another clone id");
        }
        var notes = new List<string>();
        foreach (var (name, value) in meta)
        {
            OptionChecks.Meta($"clone {cloneId}", name, value, notes);
        }
        var setId = TextIds.Set(cloneId, "meta_attributes", 0);
        ValueList<AttributeSet> sets = meta.Count == 0 ? [] : [AttributeEdits.Block(setId, meta)];
        if (promotable)
        {
            sets = PromotableMeta.Mark(sets, () => setId, s => TextIds.Pair(s, ResourceMeta.PromotableName));
        }
        var clone = new Clone(cloneId, resource) { Meta = sets };
        return new ConfigEdit(configuration with { Resources = ResourceTree.Replace(configuration.Resources, id, _ => clone) }, notes);
    }

    /// <summary>Sets (or with a null value removes) one meta attribute of a resource; says when there was nothing to remove.</summary>
    public static ConfigEdit SetMeta(ClusterConfiguration configuration, string id, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var resource = ResourceTree.Find(configuration, id);
        var notes = new List<string>();
        if (value is not null)
        {
            OptionChecks.Meta($"{ResourceTree.KindOf(resource)} {id}", name, value, notes);
        }
        var meta = SetOrUnset(resource.Meta, name, value ?? "", TextIds.Set(id, "meta_attributes", 0), $"meta attribute '{name}' of '{id}'", notes);
        return new ConfigEdit(configuration with { Resources = ResourceTree.Replace(configuration.Resources, id, r => r with { Meta = meta }) }, notes);
    }

    /// <summary>The resource and the groups and clones that contain it, innermost first.</summary>
    public static IReadOnlyList<Resource> SelfAndContainers(ClusterConfiguration configuration, string id)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var chain = new List<Resource> { ResourceTree.Find(configuration, id) };
        while (configuration.ParentOf(chain[^1].Id) is { } parent)
        {
            chain.Add(parent);
        }
        return chain;
    }

    private static ValueList<AttributeSet> SetOrUnset(ValueList<AttributeSet> sets, string name, string value, string newSetId, string what, List<string> notes)
    {
        if (value.Length > 0)
        {
            return AttributeEdits.Set(sets, name, value, newSetId);
        }
        if (!AttributeEdits.TryUnset(sets, name, out var result))
        {
            notes.Add($"{what} was not set");
        }
        return result;
    }

    private static Primitive WithOperation(Primitive primitive, OperationSpec spec)
    {
        var text = new StringBuilder($"primitive {TextStatements.Word(primitive.Id)} ocf:tandem:operation op {TextStatements.Word(spec.Name)}");
        AppendPairs(text, null, spec.Settings);
        Operation parsed;
        try
        {
            parsed = TextParser.Parse(text.ToString()).Resources.OfType<Primitive>().Single().Operations.Single();
        }
        catch (TextParseException e)
        {
            throw new ConfigEditException(e.Reason ?? e.Message);
        }
        var index = primitive.Operations.IndexWhere(op => op.Name == parsed.Name && op.Role == parsed.Role);
        if (index < 0 && parsed.Role is null)
        {
            index = primitive.Operations.IndexWhere(op => op.Name == parsed.Name);
        }
        var others = primitive.Operations.Where((_, i) => i != index).Select(op => op.Id).ToList();
        var id = TextIds.Deduplicate(others.Append(parsed.Id))[^1];
        var operation = parsed with { Id = id };
        return primitive with
        {
            Operations = index < 0 ? primitive.Operations.Add(operation) : primitive.Operations.SetItem(index, operation),
        };
    }

    private static int TopLevelSlot(ValueList<Resource> resources, string id)
    {
        var index = resources.IndexWhere(r => r.SelfAndDescendants.Any(d => d.Id == id));
        return index < 0 ? resources.Count : index;
    }

    private static void AppendPairs(StringBuilder text, string? keyword, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }
        if (keyword is not null)
        {
            text.Append(' ').Append(keyword);
        }
        foreach (var (name, value) in pairs)
        {
            text.Append(' ').Append(TextStatements.Pair(name, value));
        }
    }
}
