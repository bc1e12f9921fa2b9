namespace Tandem.Agents.Metadata;

/// <summary>What an agent says about itself in its meta-data XML.</summary>
public sealed record AgentMetadata(
    string Name,
    string? Version,
    string? ShortDescription,
    string? LongDescription,
    IReadOnlyList<ParameterMetadata> Parameters,
    IReadOnlyList<ActionMetadata> Actions)
{
    public ParameterMetadata? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>The first action of this name (and role, when given) the agent declares.</summary>
    public ActionMetadata? FindAction(string name, string? role = null) =>
        Actions.FirstOrDefault(a => a.Name == name && (role is null || a.Role == role))
        ?? Actions.FirstOrDefault(a => a.Name == name);
}

/// <summary>One parameter: OCF_RESKEY_NAME for the agent.</summary>
public sealed record ParameterMetadata(
    string Name,
    bool Required,
    bool Unique,
    bool Reloadable,
    bool Deprecated,
    string Type,
    string? Default,
    string? ShortDescription,
    string? LongDescription)
{
    /// <summary>The values a <c>select</c> parameter accepts (OCF 1.1); empty for other types.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
}

/// <summary>One action with the defaults the agent suggests (times in milliseconds).</summary>
public sealed record ActionMetadata(string Name, long? TimeoutMs, long? IntervalMs, int? Depth, string? Role);
