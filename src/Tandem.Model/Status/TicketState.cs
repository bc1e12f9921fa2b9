namespace Tandem.Model.Status;

/// <summary>A ticket's recorded state (granted, standby, last-granted and any other attribute).</summary>
public sealed record TicketState(string Id, IReadOnlyDictionary<string, string> Attributes);
