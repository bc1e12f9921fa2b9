using Tandem.Scheduler.Unpack;

namespace Tandem.Scheduler.Output;

/// <summary>Runs the scheduler on a snapshot and renders the result the way crm_simulate -S does.</summary>
public static class Simulator
{
    public static SimulationResult Run(ClusterSnapshot snapshot, bool showScores = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Scheduler.RunWithDeepStack(() =>
        {
            var before = ConfigUnpacker.Unpack(snapshot);
            var preamble = Preamble(before);
            var current = StatusPrinter.Lines(before, showPending: true);
            var plan = Scheduler.ScheduleInline(snapshot, new ScheduleOptions { RecordScores = showScores });
            var summary = TransitionSummary.Lines(plan.WorkingSet);
            var executor = new TransitionExecutor(plan.WorkingSet, snapshot.Status, snapshot.Now.ToUnixTimeSeconds());
            executor.Run(plan.Graph);
            var revised = StatusPrinter.Lines(ConfigUnpacker.Unpack(snapshot with { Status = executor.Status }), showPending: false);
            return new SimulationResult
            {
                Preamble = preamble,
                CurrentStatus = current,
                TransitionSummary = summary,
                ExecutedActions = executor.Lines,
                RevisedStatus = revised,
                Scores = plan.Scores,
                Graph = plan.Graph,
            };
        });
    }

    internal static List<string> Preamble(Working.WorkingSet ws)
    {
        var lines = new List<string>();
        if (ws.Is(Working.ClusterFlags.MaintenanceMode))
        {
            lines.Add("");
            lines.Add("              *** Resource management is DISABLED ***");
            lines.Add("  The cluster will not attempt to start, stop or recover services");
        }
        if (ws.DisabledResources > 0 || ws.BlockedResources > 0)
        {
            if (lines.Count > 0)
            {
                lines.Add("");
            }
            lines.Add($"{ws.DisabledResources} of {ws.InstanceCount} resource instances DISABLED and {ws.BlockedResources} BLOCKED from further action due to failure");
        }
        return lines;
    }
}
