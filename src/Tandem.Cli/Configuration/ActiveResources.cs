using Tandem.Model;
using Tandem.Model.Resources;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Configuration;

/// <summary>Where a configured resource is active now, read from the placements the daemon reports.</summary>
public static class ActiveResources
{
    /// <summary>
    /// The nodes where any primitive of the resource is active; for a promotable clone unless
    /// <paramref name="anyRole"/>, the nodes where it is promoted (what a move or ban of it acts on).
    /// </summary>
    public static IReadOnlyList<string> NodesOf(ClusterConfiguration configuration, IReadOnlyList<ResourcePlacement> placements, string id, bool anyRole = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(placements);
        var resource = configuration.FindResource(id);
        if (resource is null)
        {
            return [];
        }
        var primitives = resource.SelfAndDescendants.OfType<Primitive>().Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var promotedOnly = !anyRole && resource is Clone { IsPromotable: true };
        return [.. placements
            .Where(p => primitives.Contains(ConfiguredId(p.Id)) && (!promotedOnly || p.Role == Role.Promoted.ToName()))
            .SelectMany(p => p.Nodes)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>A clone instance ("vol:1") is reported under its configured primitive's id.</summary>
    private static string ConfiguredId(string instance) =>
        instance.IndexOf(':', StringComparison.Ordinal) is var at and > 0 ? instance[..at] : instance;
}
