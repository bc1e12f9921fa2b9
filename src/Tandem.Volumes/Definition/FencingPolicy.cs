namespace Tandem.Volumes.Definition;

/// <summary>What a Primary does when it loses its peer (DRBD's <c>fencing</c>).</summary>
public enum FencingPolicy
{
    /// <summary>Keep writing; nothing marks the peer Outdated.</summary>
    DontCare,

    /// <summary>Run the fence-peer hook so the cluster marks the peer Outdated; writes go on meanwhile.</summary>
    ResourceOnly,

    /// <summary>Hold every write until the fence-peer hook confirms the peer Outdated or fenced.</summary>
    ResourceAndStonith,
}
