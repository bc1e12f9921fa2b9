namespace Tandem.Scheduler.Working;

/// <summary>Settings and bookkeeping that only clones have.</summary>
internal sealed class CloneData
{
    public int CloneMax { get; set; }
    public int CloneNodeMax { get; set; }
    public int PromotedMax { get; set; }
    public int PromotedNodeMax { get; set; }
    public int TotalClones { get; set; }
    public bool Ordered { get; set; }
    public bool PromotionAdded { get; set; }
    public bool PromotionConstrained { get; set; }
    /// <summary>The configured id of the cloned primitive or group.</summary>
    public required string ChildId { get; init; }
    /// <summary>Creates the next instance (numbered from 0).</summary>
    public required Func<Resource, Resource> CreateInstance { get; init; }
    public NotificationData? StartNotify { get; set; }
    public NotificationData? StopNotify { get; set; }
    public NotificationData? PromoteNotify { get; set; }
    public NotificationData? DemoteNotify { get; set; }
}
