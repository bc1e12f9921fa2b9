using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;
using ModelTicket = Tandem.Model.Constraints.TicketConstraint;

namespace Tandem.Scheduler.Placement;

/// <summary>rsc_ticket constraints: binds resources (directly, by set or by tag) to a ticket.</summary>
internal static class TicketConstraints
{
    public static void Unpack(WorkingSet ws, ModelTicket constraint)
    {
        if (!ws.Tickets.TryGetValue(constraint.Ticket, out var ticket))
        {
            ticket = new Ticket(constraint.Ticket);
            ws.Tickets[constraint.Ticket] = ticket;
        }
        var sets = ConstraintResources.ExpandTagsInSets(ws, constraint.Sets);
        if (sets is null)
        {
            return;
        }
        var expanded = constraint with { Sets = sets.Value };
        if (expanded.Sets.IsEmpty && expanded.Resource is { } rscId)
        {
            if (!ConstraintResources.IsValid(ws, rscId, out _, out _))
            {
                return;
            }
            if (ConstraintResources.ToSet(ws, rscId, convertResource: false) is { } tagSet)
            {
                expanded = expanded with { Sets = [tagSet with { Role = expanded.ResourceRole }], ResourceRole = null };
            }
        }
        if (!expanded.Sets.IsEmpty)
        {
            foreach (var set in expanded.Sets)
            {
                foreach (var id in set.Resources)
                {
                    var rsc = ConstraintResources.Find(ws, id);
                    if (rsc is null)
                    {
                        return;
                    }
                    Tickets.Bind(ws, set.Id, rsc, ticket, set.Role?.ToString(), expanded.LossPolicy);
                }
            }
            return;
        }
        var resource = ConstraintResources.Find(ws, expanded.Resource);
        if (resource is not null)
        {
            Tickets.Bind(ws, expanded.Id, resource, ticket, expanded.ResourceRole?.ToString(), expanded.LossPolicy);
        }
    }
}
