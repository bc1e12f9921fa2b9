namespace Tandem.Model.Rules;

/// <summary>
/// Compares a node attribute (or #uname, #id, #kind, #cluster-name, #is_dc, #role, ...) with a value.
/// </summary>
public sealed record AttributeExpression(string Id, string Attribute, ComparisonOperator Operation) : RuleExpression(Id)
{
    /// <summary>The value to compare with (absent for defined/not_defined).</summary>
    public string? Value { get; init; }

    /// <summary>How values compare; null means Pacemaker's default (string, or number when both look numeric).</summary>
    public ValueType? Type { get; init; }

    /// <summary>Where <see cref="Value"/> comes from: the literal, or a resource parameter or meta attribute of that name.</summary>
    public ValueSource ValueSource { get; init; } = ValueSource.Literal;
}
