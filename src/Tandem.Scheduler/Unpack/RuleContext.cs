using Tandem.Model.Resources;

namespace Tandem.Scheduler.Unpack;

/// <summary>What a rule is evaluated against: a node's attributes, a role, "now", a resource or an operation.</summary>
internal sealed record RuleContext
{
    public IReadOnlyDictionary<string, string>? NodeAttributes { get; init; }
    public Role Role { get; init; } = Role.Unknown;
    /// <summary>Seconds since the epoch.</summary>
    public long Now { get; init; }
    public string? RscClass { get; init; }
    public string? RscProvider { get; init; }
    public string? RscType { get; init; }
    public bool HasRscData { get; init; }
    public string? OpName { get; init; }
    public uint OpIntervalMs { get; init; }
    public bool HasOpData { get; init; }
    /// <summary>Regular-expression submatches (%0-%9) from a location constraint's rsc-pattern.</summary>
    public IReadOnlyList<string>? Submatches { get; init; }
    public IReadOnlyDictionary<string, string>? Params { get; init; }
    public IReadOnlyDictionary<string, string>? Meta { get; init; }
    public bool HasMatchData { get; init; }
}
