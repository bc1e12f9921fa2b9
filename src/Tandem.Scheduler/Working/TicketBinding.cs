using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>A resource bound to a ticket (rsc_ticket): what happens to it when the ticket is lost.</summary>
internal sealed class TicketBinding
{
    public required string Id { get; init; }
    public required Resource Rsc { get; init; }
    public required Ticket Ticket { get; init; }
    public TicketLossPolicy LossPolicy { get; init; }
    public Role Role { get; init; }
}
