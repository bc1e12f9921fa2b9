namespace Tandem.Volumes.Definition;

/// <summary>One node's replica of a volume: where it listens and where its data and metadata live.</summary>
/// <param name="Node">Node name (the host name of that node, as in DRBD's <c>on NAME</c>).</param>
/// <param name="Host">Address the volume service listens on and the peer connects to.</param>
/// <param name="Port">TCP port of this volume on that node.</param>
/// <param name="Disk">Backing disk: a block device or a regular file (created by create-md if missing).</param>
/// <param name="MetaDisk">"internal" (at the end of the backing disk) or a path to a file or device of its own.</param>
public sealed record ReplicaDefinition(string Node, string Host, int Port, string Disk, string MetaDisk)
{
    public bool InternalMetadata => MetaDisk == "internal";

    public string Address => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
