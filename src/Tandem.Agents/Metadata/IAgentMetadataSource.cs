namespace Tandem.Agents.Metadata;

/// <summary>Where configuration checks get an agent's metadata: <see cref="MetadataProvider"/> runs the
/// agents; tests and the simulator can answer from memory.</summary>
public interface IAgentMetadataSource
{
    /// <summary>The metadata of an agent; throws <see cref="MetadataException"/> with a one-line reason.</summary>
    Task<AgentMetadata> GetAsync(AgentName agent, CancellationToken cancellationToken = default);
}
