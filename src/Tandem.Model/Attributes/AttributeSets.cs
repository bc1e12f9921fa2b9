using System.Collections.Immutable;
using Tandem.Model.Collections;
using Tandem.Model.Rules;

namespace Tandem.Model.Attributes;

/// <summary>Resolution of a list of attribute blocks into values, with Pacemaker's precedence rules.</summary>
public static class AttributeSets
{
    /// <summary>
    /// The blocks in the order Pacemaker reads them: a block whose id is <paramref name="alwaysFirstId"/>
    /// first (Pacemaker does this for "cib-bootstrap-options"), then by score, highest first; ties keep
    /// their written order.
    /// </summary>
    public static IEnumerable<AttributeSet> InPrecedenceOrder(this ValueList<AttributeSet> sets, string? alwaysFirstId = null) =>
        sets.Select((set, index) => (set, index))
            .OrderBy(x => alwaysFirstId is not null && x.set.Id == alwaysFirstId ? 0 : 1)
            .ThenByDescending(x => x.set.Score?.Value ?? 0)
            .ThenBy(x => x.index)
            .Select(x => x.set);

    /// <summary>
    /// The values in force: blocks in precedence order, those whose rule does not hold under
    /// <paramref name="applies"/> skipped, the first value of each name kept. Pairs without a value are
    /// ignored. When <paramref name="applies"/> is null, only blocks without a rule count.
    /// </summary>
    public static ImmutableDictionary<string, string> Resolve(
        this ValueList<AttributeSet> sets,
        Func<Rule, bool>? applies = null,
        string? alwaysFirstId = null)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var set in sets.InPrecedenceOrder(alwaysFirstId))
        {
            if (set.Rule is not null && (applies is null || !applies(set.Rule)))
            {
                continue;
            }
            foreach (var pair in set.Pairs)
            {
                if (pair.Value is not null && !values.ContainsKey(pair.Name))
                {
                    values[pair.Name] = pair.Value;
                }
            }
        }
        return values.ToImmutable();
    }
}
