using Tandem.Model.Collections;
using Tandem.Model.Rules;
using Tandem.Model.Scores;

namespace Tandem.Model.Attributes;

/// <summary>
/// A block of name/value pairs (instance_attributes, meta_attributes, utilization, cluster_property_set).
/// When a list holds several blocks, Pacemaker orders them by <see cref="Score"/> (highest first, then as
/// written), skips those whose <see cref="Rule"/> does not hold, and the first value seen for a name wins.
/// </summary>
public sealed record AttributeSet(string Id, ValueList<NvPair> Pairs)
{
    /// <summary>Precedence among the blocks of one list; absent means 0.</summary>
    public Score? Score { get; init; }

    /// <summary>The condition under which this block applies; absent means always.</summary>
    public Rule? Rule { get; init; }

    /// <summary>When set, the block was written as a reference (id-ref) to the block with this id, whose content it copies.</summary>
    public string? IdRef { get; init; }

    /// <summary>The value of the first pair with this name, whether or not the rule holds.</summary>
    public string? this[string name] => Pairs.FirstOrDefault(p => p.Name == name)?.Value;
}
