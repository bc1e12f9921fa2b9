namespace Tandem.Scheduler.Working;

/// <summary>Per-resource state flags, as Pacemaker keeps them.</summary>
[Flags]
internal enum ResourceFlags : ulong
{
    None = 0,
    Orphan = 0x1,
    Managed = 0x2,
    Block = 0x4,
    OrphanContainerFiller = 0x8,
    Notify = 0x10,
    Unique = 0x20,
    FenceDevice = 0x40,
    Promotable = 0x80,
    Provisional = 0x100,
    Allocating = 0x200,
    Merging = 0x400,
    Restarting = 0x800,
    Stop = 0x1000,
    Reload = 0x2000,
    AllowRemoteRemotes = 0x4000,
    Critical = 0x8000,
    Failed = 0x10000,
    Runnable = 0x40000,
    StartPending = 0x80000,
    StopUnexpected = 0x400000,
    AllowMigrate = 0x800000,
    FailureIgnored = 0x1000000,
    Maintenance = 0x4000000,
    NeedsQuorum = 0x10000000,
    NeedsFencing = 0x20000000,
    NeedsUnfencing = 0x40000000,
}
