namespace Tandem.Model.Rules;

/// <summary>The operation of an attribute expression (Pacemaker's names in CIB XML are the lowercase ones).</summary>
public enum ComparisonOperator
{
    Lt,
    Gt,
    Lte,
    Gte,
    Eq,
    Ne,
    Defined,
    NotDefined,
}

/// <summary>Spellings of <see cref="ComparisonOperator"/> as written in CIB XML and the text face.</summary>
public static class ComparisonOperatorNames
{
    public static string ToName(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.NotDefined => "not_defined",
        _ => op.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out ComparisonOperator op)
    {
        foreach (var candidate in Enum.GetValues<ComparisonOperator>())
        {
            if (candidate.ToName() == text)
            {
                op = candidate;
                return true;
            }
        }
        op = default;
        return false;
    }

    /// <summary>Whether the operation compares with a value (all but defined/not_defined).</summary>
    public static bool TakesValue(this ComparisonOperator op) => op is not (ComparisonOperator.Defined or ComparisonOperator.NotDefined);
}
