namespace Tandem.Model.Status;

/// <summary>The CIB <c>status</c> section: one entry per node that has been seen, plus ticket states.</summary>
public sealed record StatusSection(IReadOnlyList<NodeState> Nodes, IReadOnlyList<TicketState> Tickets)
{
    public static StatusSection Empty { get; } = new([], []);
}
