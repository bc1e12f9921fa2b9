namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// Safety invariants on the simulated ground truth (what the agents really run), checked after every
/// step: a primitive active on at most one node; at most promoted-max promoted instances; never a
/// promotion of a replica that missed acknowledged writes; never a start or promotion by a daemon that
/// knew its partition had no quorum (no-quorum-policy=stop). Returns the first broken one in words.
/// </summary>
public static class InvariantChecker
{
    public static string? Check(FaultCluster cluster)
    {
        var agents = cluster.Agents;
        foreach (var resource in SeedScenario.Primitives)
        {
            var active = cluster.Nodes.Where(n => agents.Role(n, resource) != InstanceRole.Stopped).ToList();
            if (active.Count > 1)
            {
                return $"{resource} is active on {string.Join(" and ", active.Select(cluster.Name))}";
            }
        }
        var promoted = cluster.Nodes.Where(n => agents.Role(n, SeedScenario.Volume) == InstanceRole.Promoted).ToList();
        if (promoted.Count > SeedScenario.PromotedMax)
        {
            return $"{SeedScenario.Volume} is promoted on {string.Join(" and ", promoted.Select(cluster.Name))} (promoted-max {SeedScenario.PromotedMax})";
        }
        if (agents.StalePromotions.Count > 0)
        {
            return $"stale data promoted: {agents.StalePromotions[0]}";
        }
        if (cluster.StartsWithoutQuorum.Count > 0)
        {
            return $"started without quorum: {cluster.StartsWithoutQuorum[0]}";
        }
        return null;
    }
}
