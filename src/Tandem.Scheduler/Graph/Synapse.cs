namespace Tandem.Scheduler.Graph;

/// <summary>One step of the transition graph: an action and the actions that must complete before it.</summary>
public sealed record Synapse(int Id, int Priority, GraphAction Action, IReadOnlyList<GraphAction> Inputs);
