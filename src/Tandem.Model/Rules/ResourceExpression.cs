namespace Tandem.Model.Rules;

/// <summary>Matches resources by agent (class, provider, type); used in rsc_defaults and op_defaults rules.</summary>
public sealed record ResourceExpression(string Id) : RuleExpression(Id)
{
    public string? Class { get; init; }
    public string? Provider { get; init; }
    public string? Type { get; init; }
}
