using Tandem.Model;

namespace Tandem.Node.Api;

/// <summary>PUT /v1/config: a whole configuration (the model's JSON document) proposed on top of a version.</summary>
public sealed record ConfigPutRequest(ConfigVersion BaseVersion, string Document, string Description);

/// <summary>The answer to a configuration change: the version it created.</summary>
public sealed record ConfigPutResponse(ConfigVersion Version);
