namespace Tandem.Scheduler.Working;

/// <summary>Ordering relation flags (Pacemaker's pe_ordering); several are compared by exact value.</summary>
[Flags]
internal enum OrderFlags
{
    None = 0x0,
    Optional = 0x1,
    ApplyFirstNonMigratable = 0x2,
    ImpliesFirst = 0x10,
    ImpliesThen = 0x20,
    PromotedImpliesFirst = 0x40,
    ImpliesFirstMigratable = 0x80,
    RunnableLeft = 0x100,
    PseudoLeft = 0x200,
    ImpliesThenOnNode = 0x400,
    Probe = 0x800,
    Restart = 0x1000,
    SerializeOnly = 0x4000,
    SameNode = 0x8000,
    ImpliesFirstPrinted = 0x10000,
    ImpliesThenPrinted = 0x20000,
    Asymmetrical = 0x100000,
    Load = 0x200000,
    OneOrMore = 0x400000,
    AntiColocation = 0x800000,
    Preserve = 0x1000000,
    ThenCancelsFirst = 0x2000000,
}
