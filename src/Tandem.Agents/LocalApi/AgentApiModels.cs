namespace Tandem.Agents.LocalApi;

// The JSON bodies of the routes in AgentApiRoutes (camelCase on the wire). See docs/api.md.

/// <summary><c>GET /v1/node</c>: this node.</summary>
public sealed record NodeIdentity(string Name, uint Id);

/// <summary>One node as <c>crm_node -l</c> lists it: member of the local partition or lost.</summary>
public sealed record ClusterNode(string Name, uint Id, bool Member);

/// <summary><c>GET /v1/nodes</c>: every configured or seen node and whether the local partition has quorum.</summary>
public sealed record ClusterNodes(IReadOnlyList<ClusterNode> Nodes, bool Quorate);

/// <summary>A node attribute (lifetime "reboot" or "forever").</summary>
public sealed record NodeAttribute(string Node, string Name, string Value, AttributeLifetime Lifetime);

/// <summary><c>GET /v1/nodes/{node}/attributes</c>.</summary>
public sealed record NodeAttributes(IReadOnlyList<NodeAttribute> Attributes);

/// <summary>The body of <c>PUT /v1/nodes/{node}/attributes/{name}</c> and <c>PUT /v1/properties/{name}</c>.</summary>
public sealed record AttributeUpdate(string Value);

/// <summary>A cluster property (crm_config), e.g. stonith-enabled.</summary>
public sealed record ClusterProperty(string Name, string Value);

/// <summary>Where one resource runs: a node and the role there (Started, Promoted, Unpromoted).</summary>
public sealed record ResourceLocation(string Node, string Role);

/// <summary><c>GET /v1/resources/{id}/locations</c>: the resource's agent (class:provider:type; empty for
/// groups and clones) and its active instances.</summary>
public sealed record ResourceLocations(string Id, string Agent, IReadOnlyList<ResourceLocation> Locations);

/// <summary><c>GET /v1/resources</c>.</summary>
public sealed record ResourceList(IReadOnlyList<ResourceLocations> Resources);

/// <summary>Every error answer: one line that names the problem.</summary>
public sealed record ApiError(string Error);
