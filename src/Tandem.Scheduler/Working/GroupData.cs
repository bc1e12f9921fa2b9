namespace Tandem.Scheduler.Working;

/// <summary>Settings that only groups have: whether members start in order and run on one node.</summary>
internal sealed class GroupData
{
    public bool Ordered { get; set; } = true;
    public bool Colocated { get; set; } = true;
}
