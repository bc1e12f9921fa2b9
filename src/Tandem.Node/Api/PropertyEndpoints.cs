using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Tandem.Agents.LocalApi;
using Tandem.Node.Configuration;

namespace Tandem.Node.Api;

/// <summary>Cluster properties (crm_config) for <c>crm_attribute -t crm_config</c>: read from and written to the replicated configuration.</summary>
public static class PropertyEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, IDaemonAccess daemon)
    {
        routes.MapGet("/v1/properties/{name}", async (string name, CancellationToken cancellationToken) =>
        {
            // Only what is set: Pacemaker's tool does not answer defaults either.
            var value = await daemon.ReadAsync(core => core.Config.Configuration.Options[name], cancellationToken).ConfigureAwait(false);
            return value is null ? ApiResults.NotFound($"no cluster property '{name}' is set") : ApiResults.Json(new ClusterProperty(name, value));
        });

        routes.MapPut("/v1/properties/{name}", async (string name, AttributeUpdate? update, CancellationToken cancellationToken) =>
        {
            if (update?.Value is not { } value)
            {
                return ApiResults.BadRequest("missing body: {\"value\": \"...\"}");
            }
            await ConfigEditor.EditAsync(daemon, $"set property {name}={value}", c => AttributeEdits.SetProperty(c, name, value), cancellationToken).ConfigureAwait(false);
            return ApiResults.Json(new ClusterProperty(name, value));
        });

        routes.MapDelete("/v1/properties/{name}", async (string name, CancellationToken cancellationToken) =>
        {
            await ConfigEditor.EditAsync(daemon, $"delete property {name}", c => AttributeEdits.DeleteProperty(c, name), cancellationToken).ConfigureAwait(false);
            return ApiResults.NoContent();
        });
    }
}
