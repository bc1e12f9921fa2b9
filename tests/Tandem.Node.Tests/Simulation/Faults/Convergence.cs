namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// Liveness once faults have stopped: every daemon follows one coordinator, which is active, has nothing in
/// flight and, asked again, plans no action (every resource placed as the scheduler wants); no agent
/// operation is still running. Returns what is not converged, in words.
/// </summary>
public static class Convergence
{
    public static string? Check(FaultCluster cluster)
    {
        var daemons = cluster.Daemons.ToList();
        var followed = daemons.Select(d => cluster.Core(d).Membership.Current.Coordinator).Distinct().ToList();
        if (followed is not [{ } coordinator])
        {
            return $"not converged: the daemons follow {string.Join(", ", followed.Select(c => c?.ToString() ?? "no coordinator"))}";
        }
        var core = cluster.Core(coordinator.NodeId);
        if (core.Coordinator is not { Active: true } active)
        {
            return $"not converged: {cluster.Name(coordinator.NodeId)} is followed but does not coordinate";
        }
        if (active.Run is { IsComplete: false } run)
        {
            return $"not converged: transition {run.Id} is still running";
        }
        if (cluster.Agents.HasPending)
        {
            return "not converged: an agent operation is still running";
        }
        var plan = Tandem.Scheduler.Scheduler.Schedule(core.Snapshot());
        if (plan.Graph.Synapses.Count > 0)
        {
            return "not converged: the scheduler still wants "
                + string.Join("; ", plan.Graph.Synapses.Select(s => s.Action.Key + (s.Action.NodeName is { } n ? " on " + n : "")));
        }
        return null;
    }
}
