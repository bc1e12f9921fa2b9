using Tandem.Model;
using Tandem.Node.Configuration;

namespace Tandem.Node.Api;

/// <summary>PUT /v1/config: a whole configuration (the model's JSON document) proposed on top of a version.</summary>
public sealed record ConfigPutRequest(ConfigVersion BaseVersion, string Document, string Description);

/// <summary>The answer to a configuration change: the version it created.</summary>
public sealed record ConfigPutResponse(ConfigVersion Version);

/// <summary>GET /v1/config/status: this node's copy (version and digest), whether the members are still comparing copies, and the last merge that replaced this node's copy.</summary>
public sealed record ConfigStatusResponse(ConfigVersion Version, string Digest, bool Synchronising, ConfigMerge? LastMerge);
