namespace Tandem.Model.Rules;

/// <summary>How an attribute expression compares its two values.</summary>
public enum ValueType
{
    String,
    Integer,
    Number,
    Version,
}

/// <summary>Where the compared value of an attribute expression comes from.</summary>
public enum ValueSource
{
    Literal,
    Param,
    Meta,
}
