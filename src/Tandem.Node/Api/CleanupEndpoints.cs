using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Tandem.Node.Status;

namespace Tandem.Node.Api;

/// <summary>
/// <c>POST /v1/cleanup</c> (<c>tandem resource cleanup</c>, crm_resource --cleanup): the failures are removed
/// through the bus, node by node, and the answer comes once every member's status, this node's included,
/// has forgotten them; the coordinator then probes the cleaned resources again. An unknown resource or
/// node is refused with 404 before anything changes.
/// </summary>
public static class CleanupEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, IDaemonAccess daemon)
    {
        routes.MapPost("/v1/cleanup", async (CleanupRequest? request, CancellationToken cancellationToken) =>
        {
            var plan = await daemon.ReadAsync(
                core => FailureCleanup.Plan(
                    core.Config.Configuration,
                    core.Status.Nodes,
                    NodeDirectory.All(core).Select(n => n.Name),
                    request?.Resource is { Length: > 0 } resource ? resource : null,
                    request?.Node is { Length: > 0 } node ? node : null),
                cancellationToken).ConfigureAwait(false);
            if (plan.Error is { } error)
            {
                return ApiResults.NotFound(error);
            }
            if (plan.Updates.Count > 0)
            {
                await daemon.UpdateStatusAsync(plan.Updates, cancellationToken).ConfigureAwait(false);
            }
            return ApiResults.Json(new CleanupResponse(plan.Cleaned));
        });
    }
}
