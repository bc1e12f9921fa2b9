using System.Text.Json.Serialization;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;

namespace Tandem.Model.Resources;

/// <summary>
/// A configured resource: a primitive, a group of primitives, a clone (plain or promotable) of a
/// primitive or group, or a bundle (recognised, not yet supported).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Primitive), "primitive")]
[JsonDerivedType(typeof(Group), "group")]
[JsonDerivedType(typeof(Clone), "clone")]
[JsonDerivedType(typeof(Bundle), "bundle")]
public abstract record Resource(string Id)
{
    public string? Description { get; init; }

    /// <summary>Meta attributes: how the cluster treats the resource (target-role, resource-stickiness, ...).</summary>
    public ValueList<AttributeSet> Meta { get; init; }

    /// <summary>Instance attributes: the agent's parameters (on a group or clone, inherited by the children).</summary>
    public ValueList<AttributeSet> Params { get; init; }

    /// <summary>This resource and every resource inside it, depth first, parents before children.</summary>
    [JsonIgnore]
    public virtual IEnumerable<Resource> SelfAndDescendants => [this];

    /// <summary>The meta attributes in force when no rule holds (the common case: meta without rules).</summary>
    [JsonIgnore]
    public ResourceMeta UnconditionalMeta => new(Meta.Resolve());
}
