namespace Tandem.Agents.Helpers;

/// <summary>Whether an option takes a value.</summary>
public enum OptionArgument
{
    None,
    Required,

    /// <summary>glib's optional argument: <c>--opt=value</c>, or the next word when it does not start with '-'.</summary>
    Optional,
}

/// <summary>One command-line option of a helper command, by its short letter and/or long name.</summary>
public sealed record OptionSpec(char? Short, string? Long, OptionArgument Argument)
{
    public string Display => Long is not null ? "--" + Long : "-" + Short;
}

/// <summary>One parsed option and its value.</summary>
public sealed record ParsedOption(OptionSpec Spec, string? Value);
