using Tandem.Model.Durations;

namespace Tandem.Model.Rules;

/// <summary>Matches operations by name and optionally interval; used in op_defaults rules.</summary>
public sealed record OperationExpression(string Id, string Name) : RuleExpression(Id)
{
    public Duration? Interval { get; init; }
}
