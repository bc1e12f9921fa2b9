using System.Collections.Concurrent;
using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Tests.Support;

/// <summary>The cluster as the helper commands see it, in memory: two nodes, attributes, properties, resources.</summary>
public sealed class InMemoryAgentApi : IAgentApi
{
    private readonly ConcurrentDictionary<(string Node, string Name, AttributeLifetime Lifetime), string> _attributes = new();
    private readonly ConcurrentDictionary<string, string> _properties = new(StringComparer.Ordinal);

    public NodeIdentity Local { get; set; } = new("astapor", 1);

    public List<ClusterNode> Nodes { get; } = [new("astapor", 1, true), new("braavos", 2, true)];

    public bool Quorate { get; set; } = true;

    public List<ResourceLocations> Resources { get; } = [];

    public string? Attribute(string node, string name, AttributeLifetime lifetime) =>
        _attributes.TryGetValue((node, name, lifetime), out var value) ? value : null;

    public Task<NodeIdentity> GetLocalNodeAsync(CancellationToken cancellationToken) => Task.FromResult(Local);

    public Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken) => Task.FromResult(new ClusterNodes([.. Nodes], Quorate));

    public Task<NodeAttribute?> GetNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        Task.FromResult(Attribute(node, name, lifetime) is { } value ? new NodeAttribute(node, name, value, lifetime) : null);

    public Task<IReadOnlyList<NodeAttribute>> ListNodeAttributesAsync(string node, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeAttribute>>([.. _attributes
            .Where(kv => kv.Key.Node == node && kv.Key.Lifetime == lifetime)
            .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => new NodeAttribute(node, kv.Key.Name, kv.Value, lifetime))]);

    public Task SetNodeAttributeAsync(string node, string name, string value, AttributeLifetime lifetime, CancellationToken cancellationToken)
    {
        if (Nodes.All(n => n.Name != node))
        {
            throw new AgentApiException(AgentApiFailure.NotFound, $"no node '{node}' in the cluster");
        }
        _attributes[(node, name, lifetime)] = value;
        return Task.CompletedTask;
    }

    public Task DeleteNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken)
    {
        _attributes.TryRemove((node, name, lifetime), out _);
        return Task.CompletedTask;
    }

    public Task<ClusterProperty?> GetPropertyAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_properties.TryGetValue(name, out var value) ? new ClusterProperty(name, value) : null);

    public Task SetPropertyAsync(string name, string value, CancellationToken cancellationToken)
    {
        _properties[name] = value;
        return Task.CompletedTask;
    }

    public Task DeletePropertyAsync(string name, CancellationToken cancellationToken)
    {
        _properties.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    public Task<ResourceLocations?> GetResourceLocationsAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Resources.FirstOrDefault(r => r.Id == id));

    public Task<ResourceList> ListResourcesAsync(CancellationToken cancellationToken) => Task.FromResult(new ResourceList([.. Resources]));
}
