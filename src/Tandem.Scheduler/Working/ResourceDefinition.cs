namespace Tandem.Scheduler.Working;

/// <summary>
/// The configuration of a resource as the scheduler needs it: the agent, the operations, and a way to
/// evaluate the instance parameters for a node (parameters may depend on node attributes through rules).
/// </summary>
internal sealed class ResourceDefinition
{
    public static ResourceDefinition Empty { get; } = new();

    /// <summary>primitive, group, clone, master or bundle: the CIB element the resource came from.</summary>
    public string Element { get; init; } = "primitive";
    public string? Class { get; init; }
    public string? Provider { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<OperationDefinition> Operations { get; init; } = [];
    /// <summary>Evaluates the instance parameters for a node (null: without node attributes).</summary>
    public Func<NodeDetails?, IReadOnlyDictionary<string, string>> Parameters { get; init; } = _ => EmptyParameters;

    private static readonly IReadOnlyDictionary<string, string> EmptyParameters = new Dictionary<string, string>();

    /// <summary>The agent spelled as in status output: class:provider:type or class:type.</summary>
    public string AgentText => Provider is null ? $"{Class}:{Type}" : $"{Class}:{Provider}:{Type}";
}
