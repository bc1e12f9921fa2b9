namespace Tandem.Scheduler.Working;

/// <summary>Action state flags (Pacemaker's pe_action_flags).</summary>
[Flags]
internal enum ActionFlags
{
    None = 0,
    Pseudo = 0x1,
    Runnable = 0x2,
    Optional = 0x4,
    PrintAlways = 0x8,
    HaveNodeAttrs = 0x10,
    ImpliedByStonith = 0x40,
    MigrateRunnable = 0x80,
    Dumped = 0x100,
    Processed = 0x200,
    Dangle = 0x800,
    RequiresAny = 0x1000,
    Reschedule = 0x2000,
    Tracking = 0x4000,
    Dedup = 0x8000,
    Dc = 0x10000,
}
