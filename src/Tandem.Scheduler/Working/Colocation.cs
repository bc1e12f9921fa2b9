using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>
/// "Place the dependent relative to the primary": a colocation constraint (or one implied by a group or a
/// container), with roles, a score and the node attribute that defines "same place".
/// </summary>
internal sealed class Colocation
{
    public required string Id { get; init; }
    public required Resource Dependent { get; init; }
    public required Resource Primary { get; init; }
    public int Score { get; init; }
    public Role DependentRole { get; init; }
    public Role PrimaryRole { get; init; }
    /// <summary>The node attribute compared (null: the node itself).</summary>
    public string? NodeAttribute { get; init; }
    /// <summary>Whether the dependent may influence where the primary goes.</summary>
    public bool Influence { get; init; }

    public override string ToString() => $"{Id}: {Dependent.Id} with {Primary.Id} ({Scores.ToText(Score)})";
}
