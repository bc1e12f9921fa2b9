using System.Text.Json.Serialization;
using Tandem.Model.Collections;
using Tandem.Model.Resources;

namespace Tandem.Model.Constraints;

/// <summary>
/// Binds resources to a ticket (multi-site clusters). Recognised and kept, but not supported yet:
/// import reports it.
/// </summary>
public sealed record TicketConstraint(string Id, string Ticket) : Constraint(Id)
{
    public string? Resource { get; init; }

    public Role? ResourceRole { get; init; }

    public string? LossPolicy { get; init; }

    public ValueList<ResourceSet> Sets { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> ReferencedResources =>
        (Resource is null ? [] : new[] { Resource }).Concat(Sets.SelectMany(s => s.Resources));
}
