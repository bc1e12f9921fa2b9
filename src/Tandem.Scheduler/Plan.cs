using Tandem.Scheduler.Graph;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler;

/// <summary>
/// What the scheduler decided for one snapshot: the transition graph to execute, and (when asked for)
/// the allocation and promotion scores behind the placement.
/// </summary>
public sealed class Plan
{
    internal Plan(WorkingSet workingSet, TransitionGraph graph)
    {
        WorkingSet = workingSet;
        Graph = graph;
    }

    public TransitionGraph Graph { get; }

    /// <summary>Allocation and promotion scores, one line each, in the order they were computed (empty unless requested).</summary>
    public IReadOnlyList<string> Scores => WorkingSet.ScoreLog?.Lines ?? [];

    /// <summary>The plan in words, as crm_simulate's "Transition Summary" lists it (one line per change).</summary>
    public IReadOnlyList<string> Summary => Output.TransitionSummary.Lines(WorkingSet);

    internal WorkingSet WorkingSet { get; }
}
