using System.Text.Json.Serialization;
using Tandem.Model.Collections;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Rules;

/// <summary>
/// A Pacemaker rule: expressions joined by and/or. In a location constraint it carries the score
/// (or the node attribute that holds the score) given to the nodes where it holds; in an attribute set
/// it only decides whether the set applies.
/// </summary>
public sealed record Rule(string Id, ValueList<RuleExpression> Expressions) : RuleExpression(Id)
{
    public Score? Score { get; init; }

    /// <summary>Name of a node attribute whose value is the score (score-attribute).</summary>
    public string? ScoreAttribute { get; init; }

    public BooleanOperator BooleanOp { get; init; } = BooleanOperator.And;

    /// <summary>In a location constraint: the role the rule applies to.</summary>
    public Role? Role { get; init; }

    /// <summary>When set, this rule was written as a reference (id-ref) to the rule with this id, whose content it copies.</summary>
    public string? IdRef { get; init; }

    [JsonIgnore]
    public override bool DependsOnDate => Expressions.Any(e => e.DependsOnDate);
}
