namespace Tandem.Scheduler.Working;

/// <summary>What to do with a resource whose ticket is revoked.</summary>
internal enum TicketLossPolicy
{
    Stop,
    Demote,
    Fence,
    Freeze,
}
