namespace Tandem.Scheduler.Working;

/// <summary>
/// "First, then": an ordering between two actions, given either as the actions themselves or as a
/// resource plus an action key to look up once the actions exist.
/// </summary>
internal sealed class OrderingConstraint
{
    public int Id { get; init; }
    public OrderFlags Flags { get; set; }
    public Resource? FirstRsc { get; init; }
    public Resource? ThenRsc { get; init; }
    public SchedAction? FirstAction { get; init; }
    public SchedAction? ThenAction { get; init; }
    public string? FirstTask { get; init; }
    public string? ThenTask { get; init; }
}
