using Tandem.Model.Collections;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Constraints;

/// <summary>
/// A set of resources in a constraint. In an order, a sequential set orders its members one after the
/// other and require-all=false lets the next set start after any one member; in a colocation, a
/// sequential set colocates each member with the previous one.
/// </summary>
public sealed record ResourceSet(string Id, ValueList<string> Resources)
{
    public bool? Sequential { get; init; }

    public bool? RequireAll { get; init; }

    /// <summary>The deprecated ordering attribute ("group" or "listed"), kept as written.</summary>
    public string? Ordering { get; init; }

    public ResourceAction? Action { get; init; }

    public Role? Role { get; init; }

    public Score? Score { get; init; }

    public OrderKind? Kind { get; init; }

    /// <summary>When set, the set was written as a reference (id-ref) to the set with this id, whose content it copies.</summary>
    public string? IdRef { get; init; }
}
