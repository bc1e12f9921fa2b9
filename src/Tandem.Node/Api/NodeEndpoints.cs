using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tandem.Agents.LocalApi;
using Tandem.Node.Configuration;
using Tandem.Node.Status;

namespace Tandem.Node.Api;

/// <summary>
/// The node routes of docs/api.md: this node, every node, and node attributes. Transient attributes
/// (lifetime reboot: promotion scores, fail counts) live in the StatusStore, permanent ones (forever) in
/// the configuration; writes go through the bus and are answered once applied on this node, so an
/// agent's next read sees its own write.
/// </summary>
public static class NodeEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, IDaemonAccess daemon)
    {
        routes.MapGet("/v1/node", async (CancellationToken cancellationToken) =>
            ApiResults.Json(await daemon.ReadAsync(core => NodeDirectory.Local(core, daemon.NodeName), cancellationToken).ConfigureAwait(false)));

        routes.MapGet("/v1/nodes", async (CancellationToken cancellationToken) =>
            ApiResults.Json(await daemon.ReadAsync(core => new ClusterNodes(NodeDirectory.All(core), core.Membership.Current.Quorate), cancellationToken).ConfigureAwait(false)));

        routes.MapGet("/v1/nodes/{node}/attributes", async (string node, string? lifetime, CancellationToken cancellationToken) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var scope))
            {
                return BadLifetime(lifetime);
            }
            var attributes = await daemon.ReadAsync(core => NodeDirectory.Find(core, node) is null ? null : Attributes(core, node, scope), cancellationToken).ConfigureAwait(false);
            return attributes is null
                ? UnknownNode(node)
                : ApiResults.Json(new NodeAttributes([.. attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new NodeAttribute(node, a.Key, a.Value, scope))]));
        });

        routes.MapGet("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime, CancellationToken cancellationToken) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var scope))
            {
                return BadLifetime(lifetime);
            }
            var value = await daemon.ReadAsync(core => Attributes(core, node, scope).GetValueOrDefault(name), cancellationToken).ConfigureAwait(false);
            return value is null
                ? ApiResults.NotFound($"node {node} has no attribute {name} ({AgentApiRoutes.Lifetime(scope)})")
                : ApiResults.Json(new NodeAttribute(node, name, value, scope));
        });

        routes.MapPut("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime, AttributeUpdate? update, CancellationToken cancellationToken) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var scope))
            {
                return BadLifetime(lifetime);
            }
            if (update?.Value is not { } value)
            {
                return ApiResults.BadRequest("missing body: {\"value\": \"...\"}");
            }
            if (await daemon.ReadAsync(core => NodeDirectory.Find(core, node), cancellationToken).ConfigureAwait(false) is not { } known)
            {
                return UnknownNode(node);
            }
            if (scope == AttributeLifetime.Reboot)
            {
                await daemon.UpdateStatusAsync([new StatusUpdate(node, [], [new AttributeChange(name, value)])], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ConfigEditor.EditAsync(daemon, $"set node attribute {name}={value} on {node}", c => AttributeEdits.SetNodeAttribute(c, known.Id, node, name, value), cancellationToken).ConfigureAwait(false);
            }
            return ApiResults.Json(new NodeAttribute(node, name, value, scope));
        });

        routes.MapDelete("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime, CancellationToken cancellationToken) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var scope))
            {
                return BadLifetime(lifetime);
            }
            if (await daemon.ReadAsync(core => NodeDirectory.Find(core, node), cancellationToken).ConfigureAwait(false) is null)
            {
                return UnknownNode(node);
            }
            if (scope == AttributeLifetime.Reboot)
            {
                await daemon.UpdateStatusAsync([new StatusUpdate(node, [], [new AttributeChange(name, null)])], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ConfigEditor.EditAsync(daemon, $"delete node attribute {name} of {node}", c => AttributeEdits.DeleteNodeAttribute(c, node, name), cancellationToken).ConfigureAwait(false);
            }
            return ApiResults.NoContent();
        });
    }

    private static IReadOnlyDictionary<string, string> Attributes(DaemonCore core, string node, AttributeLifetime scope) =>
        scope == AttributeLifetime.Reboot
            ? core.Status.Node(node).Attributes
            : AttributeEdits.NodeAttributes(core.Config.Configuration, node);

    private static IResult BadLifetime(string? text) =>
        ApiResults.BadRequest(text is null ? "missing lifetime (?lifetime=reboot or forever)" : $"lifetime '{text}' is not reboot or forever");

    private static IResult UnknownNode(string node) => ApiResults.NotFound($"no node '{node}' in the cluster");
}
