using System.Text.Json.Serialization;
using Tandem.Model.Collections;
using Tandem.Model.Scores;

namespace Tandem.Model.Constraints;

/// <summary>
/// Runs <see cref="FirstAction"/> of <see cref="First"/> before <see cref="ThenAction"/> of
/// <see cref="Then"/> (default: start before start). Symmetrical orders also reverse for stops.
/// </summary>
public sealed record OrderConstraint(string Id) : Constraint(Id)
{
    public string? First { get; init; }

    public string? Then { get; init; }

    public ResourceAction? FirstAction { get; init; }

    public ResourceAction? ThenAction { get; init; }

    public OrderKind? Kind { get; init; }

    /// <summary>The deprecated score of an order (0 means Optional, anything else Mandatory).</summary>
    public Score? Score { get; init; }

    public bool? Symmetrical { get; init; }

    /// <summary>For clones: whether the then-action waits for all instances (deprecated attribute).</summary>
    public bool? RequireAll { get; init; }

    public ValueList<ResourceSet> Sets { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ReferencedResources =>
        new[] { First, Then }.OfType<string>().Concat(Sets.SelectMany(s => s.Resources));
}
