using System.Text.Json.Serialization;

namespace Tandem.Model.Resources;

/// <summary>
/// A container bundle (docker, podman, rkt). Recognised so that references to it resolve and it can be
/// reported by name; Tandem does not run bundles yet, and its network and storage mappings are not kept.
/// </summary>
public sealed record Bundle(string Id, string ContainerTechnology, string Image) : Resource(Id)
{
    public int? Replicas { get; init; }

    public int? ReplicasPerHost { get; init; }

    public int? PromotedMax { get; init; }

    public string? RunCommand { get; init; }

    public string? Network { get; init; }

    public string? Options { get; init; }

    public Primitive? Primitive { get; init; }

    [JsonIgnore]
    public override IEnumerable<Resource> SelfAndDescendants => Primitive is null ? [this] : [this, Primitive];
}
