namespace Tandem.Model.Rules;

/// <summary>How the expressions of a rule combine.</summary>
public enum BooleanOperator
{
    And,
    Or,
}
