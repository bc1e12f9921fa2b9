using System.Text.Json.Serialization;

namespace Tandem.Model.Constraints;

/// <summary>A placement or ordering rule between resources, nodes and roles.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LocationConstraint), "location")]
[JsonDerivedType(typeof(ColocationConstraint), "colocation")]
[JsonDerivedType(typeof(OrderConstraint), "order")]
[JsonDerivedType(typeof(TicketConstraint), "ticket")]
public abstract record Constraint(string Id)
{
    /// <summary>The ids of every resource (or template or tag) this constraint names.</summary>
    [JsonIgnore]
    public abstract IEnumerable<string> ReferencedResources { get; }
}
