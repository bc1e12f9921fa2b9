namespace Tandem.Scheduler.Output;

/// <summary>Runs the scheduler on a snapshot and renders the result the way crm_simulate does.</summary>
public static class Simulator
{
    public static SimulationResult Run(ClusterSnapshot snapshot, bool showScores = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Scheduler.RunWithDeepStack(() =>
        {
            var plan = Scheduler.ScheduleInline(snapshot, new ScheduleOptions { RecordScores = showScores });
            var ws = plan.WorkingSet;
            var summary = Output.TransitionSummary.Lines(ws);
            return new SimulationResult
            {
                CurrentStatus = [],
                TransitionSummary = summary,
                ExecutedActions = [],
                RevisedStatus = [],
                Scores = plan.Scores,
                Graph = plan.Graph,
            };
        });
    }
}
