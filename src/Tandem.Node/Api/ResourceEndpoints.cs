using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Tandem.Agents.LocalApi;
using Tandem.Model;
using Tandem.Model.Resources;
using Tandem.Scheduler;

namespace Tandem.Node.Api;

/// <summary>
/// Where resources run, for <c>crm_resource --locate</c> and <c>crm_mon -1</c>: every configured resource
/// (depth first, groups and clones with their members) and its active instances, read from the replicated
/// status as the scheduler reads it.
/// </summary>
public static class ResourceEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, IDaemonAccess daemon)
    {
        routes.MapGet("/v1/resources", async (CancellationToken cancellationToken) =>
        {
            var snapshot = await daemon.ReadAsync(core => core.Snapshot(), cancellationToken).ConfigureAwait(false);
            var active = Locator.Locate(snapshot);
            return ApiResults.Json(new ResourceList([.. snapshot.Configuration.AllResources.Select(r => Describe(snapshot.Configuration, r, active))]));
        });

        routes.MapGet("/v1/resources/{id}/locations", async (string id, CancellationToken cancellationToken) =>
        {
            var snapshot = await daemon.ReadAsync(core => core.Snapshot(), cancellationToken).ConfigureAwait(false);
            return snapshot.Configuration.FindResource(id) is { } resource
                ? ApiResults.Json(Describe(snapshot.Configuration, resource, Locator.Locate(snapshot)))
                : ApiResults.NotFound($"no resource '{id}' in the configuration");
        });
    }

    private static ResourceLocations Describe(ClusterConfiguration configuration, Resource resource, IReadOnlyList<ActiveInstance> active) =>
        new(
            resource.Id,
            resource is Primitive primitive && configuration.Expand(primitive).Agent is { } agent ? AgentText(agent) : "",
            [.. active
                .Where(a => a.BelongsTo(resource.Id))
                .Select(a => new ResourceLocation(a.Node, a.Role.ToString()))
                .Distinct()]);

    private static string AgentText(ResourceAgent agent) =>
        agent.Provider is null ? $"{agent.Class}:{agent.Type}" : $"{agent.Class}:{agent.Provider}:{agent.Type}";
}
