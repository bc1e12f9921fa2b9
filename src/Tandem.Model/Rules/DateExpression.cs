using System.Text.Json.Serialization;

namespace Tandem.Model.Rules;

/// <summary>
/// A date condition: after a start (gt), before an end (lt), within a range (in_range, with an end or
/// a duration), or matching a recurring date_spec. Dates are kept as written (ISO 8601).
/// </summary>
public sealed record DateExpression(string Id, DateOperation Operation) : RuleExpression(Id)
{
    public string? Start { get; init; }

    public string? End { get; init; }

    /// <summary>The length of an in_range condition given as a duration element.</summary>
    public DateSpec? Duration { get; init; }

    /// <summary>The recurring pattern of a date_spec condition.</summary>
    public DateSpec? Spec { get; init; }

    [JsonIgnore]
    public override bool DependsOnDate => true;
}

/// <summary>The operation of a date expression.</summary>
public enum DateOperation
{
    Gt,
    Lt,
    InRange,
    DateSpec,
}
