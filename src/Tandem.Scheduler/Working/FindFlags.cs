namespace Tandem.Scheduler.Working;

/// <summary>How a resource lookup matches (Pacemaker's pe_find flags).</summary>
[Flags]
internal enum FindFlags
{
    None = 0,
    Renamed = 0x1,
    Anon = 0x2,
    Clone = 0x4,
    Current = 0x8,
    Inactive = 0x10,
    Any = 0x20,
}
