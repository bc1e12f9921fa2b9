using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>
/// Setting and removing one name in a list of attribute blocks the way the text face would have written
/// it: in the block that takes precedence among those without a rule, with the text face's ids, so that
/// a value set by a command and the same value written as text give the same configuration.
/// </summary>
public static class AttributeEdits
{
    /// <summary>The value in force for <paramref name="name"/> among blocks without a rule.</summary>
    public static string? Get(ValueList<AttributeSet> sets, string name, string? alwaysFirstId = null) =>
        sets.Resolve(alwaysFirstId: alwaysFirstId).TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// Sets name=value in the first block without a rule (in precedence order), replacing a value there
    /// and removing the name from the other unconditional blocks, so the new value is the one in force.
    /// Creates the block <paramref name="newSetId"/> when there is none.
    /// </summary>
    public static ValueList<AttributeSet> Set(ValueList<AttributeSet> sets, string name, string value, string newSetId, string? alwaysFirstId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var first = sets.InPrecedenceOrder(alwaysFirstId).FirstOrDefault(s => s.Rule is null && s.IdRef is null);
        if (first is null)
        {
            return sets.Add(new AttributeSet(newSetId, [new NvPair(TextIds.Pair(newSetId, name), name, value)]));
        }
        var result = new List<AttributeSet>();
        foreach (var set in sets)
        {
            if (ReferenceEquals(set, first))
            {
                var index = set.Pairs.IndexWhere(p => p.Name == name);
                if (index >= 0)
                {
                    result.Add(set with { Pairs = set.Pairs.SetItem(index, set.Pairs[index] with { Value = value }) });
                }
                else
                {
                    var id = TextIds.Deduplicate(set.Pairs.Select(p => p.Id).Append(TextIds.Pair(set.Id, name)))[^1];
                    result.Add(set with { Pairs = set.Pairs.Add(new NvPair(id, name, value)) });
                }
            }
            else if (set.Rule is null && set.IdRef is null && set.Pairs.Any(p => p.Name == name))
            {
                var rest = set with { Pairs = set.Pairs.Where(p => p.Name != name).ToValueList() };
                if (!rest.Pairs.IsEmpty)
                {
                    result.Add(rest);
                }
            }
            else
            {
                result.Add(set);
            }
        }
        return result.ToValueList();
    }

    /// <summary>Removes the name from every block without a rule; blocks left empty go too. Returns whether anything was removed.</summary>
    public static bool TryUnset(ValueList<AttributeSet> sets, string name, out ValueList<AttributeSet> result)
    {
        var removed = false;
        var kept = new List<AttributeSet>();
        foreach (var set in sets)
        {
            if (set.Rule is null && set.IdRef is null && set.Pairs.Any(p => p.Name == name))
            {
                removed = true;
                var rest = set with { Pairs = set.Pairs.Where(p => p.Name != name).ToValueList() };
                if (!rest.Pairs.IsEmpty)
                {
                    kept.Add(rest);
                }
            }
            else
            {
                kept.Add(set);
            }
        }
        result = kept.ToValueList();
        return removed;
    }

    /// <summary>A new block of pairs with the text face's ids (duplicate names keep the text face's suffixes).</summary>
    public static AttributeSet Block(string setId, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var ids = TextIds.Deduplicate(pairs.Select(p => TextIds.Pair(setId, p.Key)));
        return new AttributeSet(setId, pairs.Select((p, i) => new NvPair(ids[i], p.Key, p.Value)).ToValueList());
    }
}
