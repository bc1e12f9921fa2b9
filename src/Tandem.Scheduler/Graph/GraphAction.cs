namespace Tandem.Scheduler.Graph;

/// <summary>
/// An action as written into the transition graph: a resource operation, a pseudo-event (milestones,
/// implied stops) or a cluster event (fencing, shutdown, fail-count clearing).
/// </summary>
public sealed record GraphAction
{
    public required int Id { get; init; }
    public required GraphActionKind Kind { get; init; }
    /// <summary>The operation (start, stop, monitor, stonith, running, ...).</summary>
    public required string Task { get; init; }
    /// <summary>The operation key, such as <c>rsc1_start_0</c>.</summary>
    public required string Key { get; init; }
    public string? NodeName { get; init; }
    public string? NodeId { get; init; }
    /// <summary>For resource operations: the resource id (as the executor knows it), class, provider, type.</summary>
    public string? ResourceId { get; init; }
    public string? ResourceLongId { get; init; }
    public string? ResourceClass { get; init; }
    public string? ResourceProvider { get; init; }
    public string? ResourceType { get; init; }
    /// <summary>Parameters and CRM_meta_* attributes, sorted by name.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }
    /// <summary>Nodes this action takes down (fencing, shutdown).</summary>
    public IReadOnlyList<string> Downed { get; init; } = [];

    public string? Attribute(string name) => Attributes.FirstOrDefault(a => a.Key == name).Value;
}
