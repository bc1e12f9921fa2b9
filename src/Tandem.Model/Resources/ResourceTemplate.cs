using Tandem.Model.Attributes;
using Tandem.Model.Collections;

namespace Tandem.Model.Resources;

/// <summary>
/// A resource template: the agent, parameters, meta attributes, utilization and operations that
/// primitives with <c>template="id"</c> share. Constraints may name a template to mean all its primitives.
/// </summary>
public sealed record ResourceTemplate(string Id, ResourceAgent Agent)
{
    public string? Description { get; init; }

    public ValueList<AttributeSet> Params { get; init; }

    public ValueList<AttributeSet> Meta { get; init; }

    public ValueList<AttributeSet> Utilization { get; init; }

    public ValueList<Operation> Operations { get; init; }

    public string? OperationsId { get; init; }
}
