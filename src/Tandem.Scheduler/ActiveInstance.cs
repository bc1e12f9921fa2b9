using Tandem.Model.Resources;

namespace Tandem.Scheduler;

/// <summary>
/// A primitive (or clone instance) active on a node, as the status shows it before any plan:
/// <paramref name="Id"/> is the instance (<c>db:1</c>), <paramref name="Lineage"/> its configured id followed
/// by those of its group and clone, <paramref name="Role"/> Started, Unpromoted or Promoted.
/// </summary>
public sealed record ActiveInstance(string Id, IReadOnlyList<string> Lineage, string Node, Role Role)
{
    /// <summary>True when this instance belongs to the configured resource <paramref name="id"/> (itself, its group or its clone).</summary>
    public bool BelongsTo(string id) => Lineage.Contains(id, StringComparer.Ordinal);
}
