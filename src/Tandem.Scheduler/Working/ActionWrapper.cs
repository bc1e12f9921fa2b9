namespace Tandem.Scheduler.Working;

/// <summary>One end of an ordering between two actions, with the ordering's flags.</summary>
internal sealed class ActionWrapper(SchedAction action, OrderFlags type)
{
    public SchedAction Action { get; } = action;
    public OrderFlags Type { get; set; } = type;
    /// <summary>Whether the link has been written into the transition graph.</summary>
    public bool Dumped { get; set; }
}
