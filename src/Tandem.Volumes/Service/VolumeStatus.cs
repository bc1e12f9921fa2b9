using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Service;

/// <summary>What <c>tandem volume status</c> shows of one volume (also its --json form).</summary>
public sealed record VolumeStatus
{
    public required string Name { get; init; }

    public required string Node { get; init; }

    public required string Peer { get; init; }

    public required string Protocol { get; init; }

    public required Role Role { get; init; }

    public required Role PeerRole { get; init; }

    public required ConnectionState Connection { get; init; }

    public required DiskState Disk { get; init; }

    public required DiskState PeerDisk { get; init; }

    public required long SizeBytes { get; init; }

    /// <summary>/dev/tandem/NAME while Primary.</summary>
    public string? Device { get; init; }

    public string? LoopDevice { get; init; }

    public long OutOfSyncBytes { get; init; }

    public ResyncProgress? Resync { get; init; }

    /// <summary>Bytes moved by the last completed resync (so a bitmap resync can be told from a full one).</summary>
    public long LastResyncBytes { get; init; }

    public string? Problem { get; init; }

    public string? GenerationIds { get; init; }

    public bool IoFrozen { get; init; }

    /// <summary>Bytes allocated on data-plane threads after warm-up; anything but 0 is a defect.</summary>
    public long DataPlaneAllocatedBytes { get; init; }

    public long ActivityLogTransactions { get; init; }

    /// <summary>The /proc/drbd-style line: <c>cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C</c>.</summary>
    public string Line => $"cs:{Connection} ro:{Role}/{PeerRole} ds:{Disk}/{PeerDisk} {Protocol}";
}
