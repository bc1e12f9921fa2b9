using System.Text.Json.Serialization;
using Tandem.Model.Collections;

namespace Tandem.Model.Resources;

/// <summary>Primitives that run on the same node, started in the listed order and stopped in reverse.</summary>
public sealed record Group(string Id, ValueList<Primitive> Members) : Resource(Id)
{
    [JsonIgnore]
    public override IEnumerable<Resource> SelfAndDescendants => [this, .. Members];
}
