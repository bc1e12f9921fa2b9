using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>A location preference or ban: scores for some nodes, optionally only for one role.</summary>
internal sealed class LocationConstraint
{
    public required string Id { get; init; }
    public required Resource Rsc { get; init; }
    public Role RoleFilter { get; set; } = Role.Unknown;
    public DiscoverMode DiscoverMode { get; init; }
    /// <summary>The weighted nodes the constraint applies to.</summary>
    public List<Node> Nodes { get; set; } = [];
}
