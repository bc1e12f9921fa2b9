using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Common;

/// <summary>
/// How constraints name resources: by id (an instance name resolves to its clone), or by a tag or a
/// template standing for several resources, which turns the reference into a resource set.
/// </summary>
internal static class ConstraintResources
{
    /// <summary>The resource a constraint means by <paramref name="id"/> (pcmk__find_constraint_resource).</summary>
    public static Resource? Find(WorkingSet ws, string? id)
    {
        if (id is null)
        {
            return null;
        }
        var match = ws.ResourceNames.First(id);
        if (match is null)
        {
            return null;
        }
        return string.Equals(match.Id, id, StringComparison.OrdinalIgnoreCase) ? match : match.Top;
    }

    /// <summary>The resources a template or tag stands for; false when <paramref name="id"/> is neither (or has none).</summary>
    public static bool TryTag(WorkingSet ws, string id, out IReadOnlyList<string> references)
    {
        if (ws.TemplateReferences.TryGetValue(id, out var users))
        {
            references = users;
            return users.Count > 0;
        }
        if (ws.Tags.TryGetValue(id, out var tagged))
        {
            references = tagged;
            return tagged.Count > 0;
        }
        references = [];
        return false;
    }

    /// <summary>Whether <paramref name="id"/> names a resource or a (non-empty) tag or template.</summary>
    public static bool IsValid(WorkingSet ws, string id, out Resource? rsc, out IReadOnlyList<string>? tag)
    {
        rsc = Find(ws, id);
        tag = null;
        if (rsc is not null)
        {
            return true;
        }
        if (TryTag(ws, id, out var references))
        {
            tag = references;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Replaces tag and template references inside resource sets by the resources they stand for
    /// (pcmk__expand_tags_in_sets). Returns the sets unchanged when none refers to a tag; null when a
    /// reference is neither a resource nor a tag (the constraint is then ignored).
    /// </summary>
    public static ValueList<ResourceSet>? ExpandTagsInSets(WorkingSet ws, ValueList<ResourceSet> sets)
    {
        var changed = false;
        var result = new List<ResourceSet>();
        foreach (var set in sets)
        {
            var ids = new List<string>();
            foreach (var id in set.Resources)
            {
                if (!IsValid(ws, id, out var rsc, out var tag))
                {
                    return null;
                }
                if (rsc is not null)
                {
                    ids.Add(id);
                }
                else
                {
                    ids.AddRange(tag!);
                    changed = true;
                }
            }
            result.Add(set with { Resources = [.. ids] });
        }
        return changed ? [.. result] : sets;
    }

    /// <summary>
    /// A set standing for a tag or template reference in a simple constraint (pcmk__tag_to_set); with
    /// <paramref name="convertResource"/>, a plain resource becomes a one-element set too.
    /// </summary>
    public static ResourceSet? ToSet(WorkingSet ws, string id, bool convertResource)
    {
        if (TryTag(ws, id, out var references) && Find(ws, id) is null)
        {
            return new ResourceSet(id, [.. references]) { Sequential = false };
        }
        return convertResource ? new ResourceSet(id, [id]) : null;
    }
}
