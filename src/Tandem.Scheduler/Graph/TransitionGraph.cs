namespace Tandem.Scheduler.Graph;

/// <summary>The plan's action graph: synapses plus the global settings the coordinator needs.</summary>
public sealed record TransitionGraph(IReadOnlyList<Synapse> Synapses, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public static TransitionGraph Empty { get; } = new([], []);
}
