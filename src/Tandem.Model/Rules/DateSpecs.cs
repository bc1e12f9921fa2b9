namespace Tandem.Model.Rules;

/// <summary>The fields of a <see cref="DateSpec"/> by their CIB names, for faces that list them generically.</summary>
public static class DateSpecs
{
    public static readonly IReadOnlyList<string> FieldNames =
        ["hours", "minutes", "seconds", "monthdays", "weekdays", "yeardays", "yearsdays", "months", "weeks", "years", "weekyears", "moon"];

    public static IEnumerable<(string Name, string? Value)> Fields(DateSpec spec) =>
    [
        ("hours", spec.Hours), ("minutes", spec.Minutes), ("seconds", spec.Seconds), ("monthdays", spec.Monthdays),
        ("weekdays", spec.Weekdays), ("yeardays", spec.Yeardays), ("yearsdays", spec.Yearsdays), ("months", spec.Months),
        ("weeks", spec.Weeks), ("years", spec.Years), ("weekyears", spec.Weekyears), ("moon", spec.Moon),
    ];

    /// <summary>The spec with the named field set; null when the name is not a field.</summary>
    public static DateSpec? With(DateSpec spec, string name, string value) => name switch
    {
        "hours" => spec with { Hours = value },
        "minutes" => spec with { Minutes = value },
        "seconds" => spec with { Seconds = value },
        "monthdays" => spec with { Monthdays = value },
        "weekdays" => spec with { Weekdays = value },
        "yeardays" => spec with { Yeardays = value },
        "yearsdays" => spec with { Yearsdays = value },
        "months" => spec with { Months = value },
        "weeks" => spec with { Weeks = value },
        "years" => spec with { Years = value },
        "weekyears" => spec with { Weekyears = value },
        "moon" => spec with { Moon = value },
        _ => null,
    };
}
