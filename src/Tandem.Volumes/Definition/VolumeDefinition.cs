namespace Tandem.Volumes.Definition;

/// <summary>
/// A replicated volume as defined on every node that holds a replica (the same file everywhere, like a
/// DRBD resource file): /etc/tandem/volumes/NAME.json.
/// </summary>
public sealed record VolumeDefinition
{
    public const int DefaultAlExtents = 257;

    public required string Name { get; init; }

    /// <summary>Usable size in bytes (a multiple of 4 KiB), the same on both replicas.</summary>
    public required long SizeBytes { get; init; }

    public ReplicationProtocol Protocol { get; init; } = ReplicationProtocol.C;

    /// <summary>Upper bound of background resync traffic.</summary>
    public long ResyncRateBytesPerSecond { get; init; } = 100L << 20;

    /// <summary>Shared secret of the peer link (challenge-response HMAC-SHA256, both ways).</summary>
    public required string Secret { get; init; }

    /// <summary>Hot 4 MiB extents tracked by the activity log (resynced after a Primary crash).</summary>
    public int AlExtents { get; init; } = DefaultAlExtents;

    public SplitBrainPolicy AfterSb0Pri { get; init; } = SplitBrainPolicy.Disconnect;

    public SplitBrainPolicy AfterSb1Pri { get; init; } = SplitBrainPolicy.Disconnect;

    public SplitBrainPolicy AfterSb2Pri { get; init; } = SplitBrainPolicy.Disconnect;

    public FencingPolicy Fencing { get; init; } = FencingPolicy.DontCare;

    /// <summary>Command run when a Primary loses its peer and fencing is on (DRBD's fence-peer handler).</summary>
    public string? FencePeerHandler { get; init; }

    /// <summary>Interval of keepalive pings on an idle peer link.</summary>
    public int PingIntervalMs { get; init; } = 1000;

    /// <summary>The peer is declared lost when nothing arrives for this long.</summary>
    public int TimeoutMs { get; init; } = 5000;

    public required IReadOnlyList<ReplicaDefinition> Replicas { get; init; }

    /// <summary>The replica of the named node; a one-line error when this node holds none.</summary>
    public ReplicaDefinition Local(string node) =>
        Replicas.FirstOrDefault(r => r.Node == node)
        ?? throw new VolumeDefinitionException($"{Name}: node '{node}' holds no replica (replicas: {string.Join(", ", Replicas.Select(r => r.Node))})");

    public ReplicaDefinition Peer(string node) => Replicas.First(r => r.Node != Local(node).Node);
}
