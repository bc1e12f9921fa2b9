using Tandem.Model.Attributes;
using Tandem.Model.Collections;

namespace Tandem.Model.Resources;

/// <summary>
/// A single resource run by an agent. Its agent is either given directly or taken from a
/// <see cref="ResourceTemplate"/> (then <see cref="Agent"/> is null and <see cref="Template"/> names it;
/// <see cref="ClusterConfiguration.Expand"/> merges the two).
/// </summary>
public sealed record Primitive(string Id, ResourceAgent? Agent) : Resource(Id)
{
    /// <summary>The id of the template this primitive is based on.</summary>
    public string? Template { get; init; }

    public ValueList<AttributeSet> Utilization { get; init; }

    public ValueList<Operation> Operations { get; init; }

    /// <summary>The id of the &lt;operations&gt; element, kept for export; null when it had none.</summary>
    public string? OperationsId { get; init; }

    /// <summary>When set, the operations were written as a reference (id-ref) to the &lt;operations&gt; element with this id, whose ops they copy.</summary>
    public string? OperationsIdRef { get; init; }
}
