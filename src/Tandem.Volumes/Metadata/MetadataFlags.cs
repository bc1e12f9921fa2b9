namespace Tandem.Volumes.Metadata;

/// <summary>Persistent facts about a replica's data (DRBD's meta-data flags).</summary>
[Flags]
public enum MetadataFlags : uint
{
    None = 0,

    /// <summary>The data is a consistent image of some generation (not a half-finished resync).</summary>
    Consistent = 1,

    /// <summary>Known to be older than the peer's: never promote without --force.</summary>
    Outdated = 2,

    /// <summary>The peer was marked Outdated (by itself on a graceful disconnect, or by the fence-peer hook).</summary>
    PeerOutdated = 4,

    /// <summary>Set while Primary, cleared on a clean demotion: found set on attach means the Primary crashed.</summary>
    Primary = 8,

    /// <summary>Found <see cref="Primary"/> on attach: its hot extents were marked; the next handshake uses this.</summary>
    CrashedPrimary = 16,
}
