namespace Tandem.Agents.LocalApi;

/// <summary>
/// What the helper commands (crm_attribute, crm_node, ...) need from the cluster. The daemon serves it
/// over the local API (<see cref="LocalAgentApiClient"/>); tests serve it from memory.
/// Getters return null for what does not exist; a daemon that cannot be reached throws
/// <see cref="AgentApiException"/>.
/// </summary>
public interface IAgentApi
{
    Task<NodeIdentity> GetLocalNodeAsync(CancellationToken cancellationToken);

    Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken);

    Task<NodeAttribute?> GetNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken);

    Task<IReadOnlyList<NodeAttribute>> ListNodeAttributesAsync(string node, AttributeLifetime lifetime, CancellationToken cancellationToken);

    Task SetNodeAttributeAsync(string node, string name, string value, AttributeLifetime lifetime, CancellationToken cancellationToken);

    /// <summary>Deleting an attribute that is not there succeeds (as in Pacemaker).</summary>
    Task DeleteNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken);

    Task<ClusterProperty?> GetPropertyAsync(string name, CancellationToken cancellationToken);

    Task SetPropertyAsync(string name, string value, CancellationToken cancellationToken);

    Task DeletePropertyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Null when no such resource is configured.</summary>
    Task<ResourceLocations?> GetResourceLocationsAsync(string id, CancellationToken cancellationToken);

    Task<ResourceList> ListResourcesAsync(CancellationToken cancellationToken);
}
