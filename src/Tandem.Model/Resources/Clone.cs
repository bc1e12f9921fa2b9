using System.Text.Json.Serialization;

namespace Tandem.Model.Resources;

/// <summary>
/// Copies of a primitive or group running on several nodes. With meta promotable=true (or written as
/// the old &lt;master&gt; element, which import turns into that meta attribute) it is a promotable
/// clone: some instances are promoted (DRBD primary), the others unpromoted.
/// </summary>
public sealed record Clone(string Id, Resource Child) : Resource(Id)
{
    [JsonIgnore]
    public override IEnumerable<Resource> SelfAndDescendants => [this, .. Child.SelfAndDescendants];

    [JsonIgnore]
    public bool IsPromotable => UnconditionalMeta.Promotable;
}
