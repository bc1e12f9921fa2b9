using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>
/// A configured operation of a primitive, with its meta attributes already merged the way Pacemaker
/// merges them for an action (op_defaults, then the op's own meta attributes, then its XML attributes).
/// </summary>
internal sealed record OperationDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public uint IntervalMs { get; init; }
    /// <summary>The role the operation is configured for, null when none was given.</summary>
    public Role? Role { get; init; }
    /// <summary>The raw role text (Pacemaker checks some spellings literally).</summary>
    public string? RoleText { get; init; }
    public bool? Enabled { get; init; }
    public string? OnFail { get; init; }
    public string? Timeout { get; init; }
    /// <summary>
    /// The op's own meta attributes then its XML attributes (each later one replacing earlier ones),
    /// layered over op_defaults when an action is unpacked.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Meta { get; init; }
    /// <summary>The op's instance attributes evaluated for a node (passed to the agent, e.g. OCF_CHECK_LEVEL).</summary>
    public Func<NodeDetails?, IReadOnlyDictionary<string, string>> Parameters { get; init; } = _ => NoParameters;

    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();
}
