using Tandem.Model.Collections;

namespace Tandem.Model.Cluster;

/// <summary>A named list of resource ids that constraints can refer to as one.</summary>
public sealed record Tag(string Id, ValueList<string> References);
