using System.Text.Json.Serialization;
using Tandem.Model.Collections;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Constraints;

/// <summary>
/// Keeps <see cref="Resource"/> where <see cref="WithResource"/> runs (positive score) or away from it
/// (negative): the with-resource is placed first, then the resource follows it. Roles narrow it to, for
/// example, the promoted instance of a clone.
/// </summary>
public sealed record ColocationConstraint(string Id) : Constraint(Id)
{
    public Score? Score { get; init; }

    public string? Resource { get; init; }

    public string? WithResource { get; init; }

    public Role? ResourceRole { get; init; }

    public Role? WithResourceRole { get; init; }

    /// <summary>Colocate on nodes that share this attribute's value instead of on the same node.</summary>
    public string? NodeAttribute { get; init; }

    /// <summary>Whether the dependent resource's preferences move the with-resource (influence).</summary>
    public bool? Influence { get; init; }

    public ValueList<ResourceSet> Sets { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ReferencedResources =>
        new[] { Resource, WithResource }.OfType<string>().Concat(Sets.SelectMany(s => s.Resources));
}
