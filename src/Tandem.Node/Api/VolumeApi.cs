namespace Tandem.Node.Api;

/// <summary>PUT /v1/volumes/{name}: a volume definition document for the nodes that hold its replicas.</summary>
public sealed record VolumePutRequest(string Document, IReadOnlyList<string> Nodes, bool Replace);

/// <summary>The answer: the nodes that now hold the definition.</summary>
public sealed record VolumePutResponse(IReadOnlyList<string> Written);
