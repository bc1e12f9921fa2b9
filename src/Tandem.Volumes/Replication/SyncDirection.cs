namespace Tandem.Volumes.Replication;

/// <summary>What the handshake decided about the data of two connecting replicas.</summary>
public enum SyncDirection
{
    /// <summary>Same data generation: no resync.</summary>
    None,

    /// <summary>This replica sends the out-of-sync blocks.</summary>
    Source,

    /// <summary>This replica receives the out-of-sync blocks.</summary>
    Target,

    /// <summary>Both replicas wrote while apart and no policy chose a victim: stay StandAlone.</summary>
    SplitBrain,

    /// <summary>No generation in common: not replicas of the same data; never synced automatically.</summary>
    Unrelated,

    /// <summary>The connection is refused for a reason named in the plan (e.g. both Primary).</summary>
    Refused,
}
