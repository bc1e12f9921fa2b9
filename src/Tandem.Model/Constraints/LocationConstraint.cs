using System.Text.Json.Serialization;
using Tandem.Model.Collections;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;

namespace Tandem.Model.Constraints;

/// <summary>
/// Where a resource may or prefers to run: a score for one node, or rules that score the nodes where
/// they hold. The resource is named by id, by a regular expression (rsc-pattern), or by sets.
/// </summary>
public sealed record LocationConstraint(string Id) : Constraint(Id)
{
    public string? Resource { get; init; }

    /// <summary>A regular expression matched against resource ids (rsc-pattern).</summary>
    public string? ResourcePattern { get; init; }

    public ValueList<ResourceSet> Sets { get; init; }

    public Role? Role { get; init; }

    /// <summary>With <see cref="Node"/>: the score of that node.</summary>
    public Score? Score { get; init; }

    public string? Node { get; init; }

    public ValueList<Rule> Rules { get; init; }

    public ResourceDiscovery? Discovery { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ReferencedResources =>
        (Resource is null ? [] : new[] { Resource }).Concat(Sets.SelectMany(s => s.Resources));
}
