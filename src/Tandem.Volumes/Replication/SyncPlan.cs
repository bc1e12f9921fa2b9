namespace Tandem.Volumes.Replication;

/// <summary>The handshake's decision seen from one replica, with the reason in words (shown in status and logs).</summary>
/// <param name="Direction">Which way the data flows, or why it does not.</param>
/// <param name="FullSync">Every block is resynced (the bitmaps cannot tell what differs).</param>
/// <param name="Reason">Why, in one line.</param>
public readonly record struct SyncPlan(SyncDirection Direction, bool FullSync, string Reason)
{
    /// <summary>The same decision seen from the peer.</summary>
    public SyncPlan Mirror() => this with
    {
        Direction = Direction switch
        {
            SyncDirection.Source => SyncDirection.Target,
            SyncDirection.Target => SyncDirection.Source,
            var d => d,
        },
    };
}
