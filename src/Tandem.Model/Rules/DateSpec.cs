namespace Tandem.Model.Rules;

/// <summary>
/// The fields of a date_spec (a recurring pattern such as hours="9-16" weekdays="1-5") or of a duration
/// element (amounts). Each field is kept as written: a number or a range "a-b".
/// </summary>
public sealed record DateSpec(string Id)
{
    public string? Hours { get; init; }
    public string? Minutes { get; init; }
    public string? Seconds { get; init; }
    public string? Monthdays { get; init; }
    public string? Weekdays { get; init; }
    public string? Yeardays { get; init; }

    /// <summary>The schema spells the day-of-year field "yearsdays" while Pacemaker reads "yeardays"; both are kept as written.</summary>
    public string? Yearsdays { get; init; }

    public string? Months { get; init; }
    public string? Weeks { get; init; }
    public string? Years { get; init; }
    public string? Weekyears { get; init; }
    public string? Moon { get; init; }
}
