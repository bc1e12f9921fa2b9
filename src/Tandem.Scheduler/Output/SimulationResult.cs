using Tandem.Scheduler.Graph;

namespace Tandem.Scheduler.Output;

/// <summary>
/// What crm_simulate -S shows for a snapshot, section by section: the current status, the transition
/// summary, the actions as the simulated execution runs them, and the status after the transition.
/// </summary>
public sealed record SimulationResult
{
    public required IReadOnlyList<string> CurrentStatus { get; init; }
    public required IReadOnlyList<string> TransitionSummary { get; init; }
    public required IReadOnlyList<string> ExecutedActions { get; init; }
    public required IReadOnlyList<string> RevisedStatus { get; init; }
    /// <summary>Allocation and promotion scores (crm_simulate -s), when requested.</summary>
    public required IReadOnlyList<string> Scores { get; init; }
    public required TransitionGraph Graph { get; init; }
}
