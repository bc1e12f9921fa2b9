using Tandem.Model.Attributes;
using Tandem.Model.Collections;

namespace Tandem.Model.Resources;

/// <summary>How the old "master"/"ms" spellings become a promotable clone: meta promotable=true where it takes effect.</summary>
public static class PromotableMeta
{
    /// <summary>
    /// Sets promotable=true in the first meta block without a rule (in precedence order), replacing any
    /// promotable value there, as the master element overrides it in Pacemaker; adds a block with
    /// <paramref name="newSetId"/> when there is none.
    /// </summary>
    public static ValueList<AttributeSet> Mark(ValueList<AttributeSet> meta, Func<string> newSetId, Func<string, string> newPairId)
    {
        var first = meta.InPrecedenceOrder().FirstOrDefault(s => s.Rule is null && s.IdRef is null);
        if (first is null)
        {
            var setId = newSetId();
            return meta.Insert(0, new AttributeSet(setId, [new NvPair(newPairId(setId), ResourceMeta.PromotableName, "true")]));
        }
        var pairs = first.Pairs.Where(p => p.Name != ResourceMeta.PromotableName).ToList();
        pairs.Insert(0, new NvPair(newPairId(first.Id), ResourceMeta.PromotableName, "true"));
        return meta.SetItem(meta.AsImmutableArray().IndexOf(first), first with { Pairs = pairs.ToValueList() });
    }
}
