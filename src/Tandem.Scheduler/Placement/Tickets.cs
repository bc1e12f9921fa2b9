using Tandem.Model.Resources;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>Ticket constraints: a resource may run (or be promoted) only while its ticket is granted.</summary>
internal static class Tickets
{
    public static void Bind(WorkingSet ws, string id, Resource? rsc, Ticket ticket, string? role, string? lossPolicy)
    {
        if (rsc is null)
        {
            return;
        }
        var parsedRole = role is null || role.Equals("Started", StringComparison.OrdinalIgnoreCase)
            ? Role.Unknown
            : RoleNames.TryParse(role, out var r) ? r : Role.Unknown;
        var policy = TicketLossPolicy.Stop;
        var policyText = lossPolicy;
        if (string.Equals(policyText, "fence", StringComparison.OrdinalIgnoreCase))
        {
            if (ws.Is(ClusterFlags.StonithEnabled))
            {
                policy = TicketLossPolicy.Fence;
            }
            else
            {
                policyText = "stop";
            }
        }
        if (policy != TicketLossPolicy.Fence)
        {
            policy = policyText?.ToLowerInvariant() switch
            {
                "freeze" => TicketLossPolicy.Freeze,
                "demote" => TicketLossPolicy.Demote,
                "stop" => TicketLossPolicy.Stop,
                _ => parsedRole == Role.Promoted ? TicketLossPolicy.Demote : TicketLossPolicy.Stop,
            };
        }
        var binding = new TicketBinding { Id = id, Rsc = rsc, Ticket = ticket, LossPolicy = policy, Role = parsedRole };
        rsc.Tickets.Add(binding);
        if (!ticket.Granted || ticket.Standby)
        {
            ConstraintsForTicket(ws, rsc, binding);
        }
    }

    private static void ConstraintsForTicket(WorkingSet ws, Resource rsc, TicketBinding binding)
    {
        if (binding.Ticket.Granted && !binding.Ticket.Standby)
        {
            return;
        }
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                ConstraintsForTicket(ws, child, binding);
            }
            return;
        }
        if (!binding.Ticket.Granted && rsc.RunningOn.Count > 0)
        {
            switch (binding.LossPolicy)
            {
                case TicketLossPolicy.Stop:
                    NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__loss_of_ticket__");
                    break;
                case TicketLossPolicy.Demote:
                    if (binding.Role != Role.Promoted)
                    {
                        NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__loss_of_ticket__");
                    }
                    break;
                case TicketLossPolicy.Fence:
                    if (!RoleMatches(rsc, binding))
                    {
                        return;
                    }
                    NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__loss_of_ticket__");
                    foreach (var node in rsc.RunningOn.ToList())
                    {
                        NodeFencing.FenceNode(ws, node, "deadman ticket was lost", false);
                    }
                    break;
                case TicketLossPolicy.Freeze:
                    if (!RoleMatches(rsc, binding))
                    {
                        return;
                    }
                    if (rsc.RunningOn.Count > 0)
                    {
                        rsc.Clear(ResourceFlags.Managed);
                        rsc.Set(ResourceFlags.Block);
                    }
                    break;
            }
        }
        else if (!binding.Ticket.Granted)
        {
            if (binding.Role != Role.Promoted || binding.LossPolicy == TicketLossPolicy.Stop)
            {
                NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__no_ticket__");
            }
        }
        else if (binding.Ticket.Standby)
        {
            if (binding.Role != Role.Promoted || binding.LossPolicy == TicketLossPolicy.Stop)
            {
                NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__ticket_standby__");
            }
        }
    }

    private static bool RoleMatches(Resource rsc, TicketBinding binding) =>
        binding.Role == Role.Unknown || binding.Role == rsc.Role;

    /// <summary>Bans a promotable clone everywhere when a ticket it needs for promotion is missing.</summary>
    public static void RequirePromotionTickets(Resource rsc)
    {
        foreach (var binding in rsc.Tickets)
        {
            if (binding.Role == Role.Promoted && (!binding.Ticket.Granted || binding.Ticket.Standby))
            {
                NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "__stateful_without_ticket__");
            }
        }
    }
}
