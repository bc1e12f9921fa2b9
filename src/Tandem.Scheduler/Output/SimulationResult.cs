using System.Text;
using Tandem.Scheduler.Graph;

namespace Tandem.Scheduler.Output;

/// <summary>
/// What crm_simulate -S shows for a snapshot, section by section: the current status, the transition
/// summary, the actions as the simulated execution runs them, and the status after the transition.
/// </summary>
public sealed record SimulationResult
{
    /// <summary>Lines before the status: maintenance mode, counts of disabled and blocked instances.</summary>
    public required IReadOnlyList<string> Preamble { get; init; }
    public required IReadOnlyList<string> CurrentStatus { get; init; }
    public required IReadOnlyList<string> TransitionSummary { get; init; }
    public required IReadOnlyList<string> ExecutedActions { get; init; }
    public required IReadOnlyList<string> RevisedStatus { get; init; }
    /// <summary>Allocation and promotion scores (crm_simulate -s), when requested.</summary>
    public required IReadOnlyList<string> Scores { get; init; }
    public required TransitionGraph Graph { get; init; }

    /// <summary>
    /// The text crm_simulate prints: the current status; with <paramref name="scores"/> the scores; with
    /// <paramref name="plan"/> the transition summary; with <paramref name="execute"/> the executed
    /// actions and the revised status.
    /// </summary>
    public string ToText(bool scores, bool plan, bool execute)
    {
        var text = new StringBuilder();
        foreach (var line in Preamble)
        {
            text.Append(line).Append('\n');
        }
        if (Preamble.Count > 0)
        {
            text.Append('\n');
        }
        Section(text, "Current cluster status:", CurrentStatus, bulleted: false);
        if (scores)
        {
            text.Append('\n');
            Section(text, "Allocation Scores:", Scores, bulleted: true);
        }
        if (plan || execute)
        {
            text.Append('\n');
            Section(text, "Transition Summary:", TransitionSummary, bulleted: true);
        }
        if (execute)
        {
            text.Append('\n');
            Section(text, "Executing Cluster Transition:", ExecutedActions, bulleted: true);
            text.Append('\n');
            Section(text, "Revised Cluster Status:", RevisedStatus, bulleted: false);
        }
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> lines, bool bulleted)
    {
        text.Append(title).Append('\n');
        foreach (var line in lines)
        {
            text.Append(bulleted ? "  * " + line : line).Append('\n');
        }
    }
}
