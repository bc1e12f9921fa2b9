using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Tests.Support;

/// <summary>
/// A stand-in for the daemon's local API: the routes of docs/api.md (AgentApiRoutes) on a unix socket in a
/// temp directory, served from an <see cref="InMemoryAgentApi"/>. What the daemon must implement, and no more.
/// </summary>
public sealed class FakeDaemon : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeDaemon(WebApplication app, string socketPath, InMemoryAgentApi cluster)
    {
        _app = app;
        SocketPath = socketPath;
        Cluster = cluster;
    }

    public string SocketPath { get; }

    public InMemoryAgentApi Cluster { get; }

    /// <summary>Every request served, as "METHOD path?query".</summary>
    public List<string> Requests { get; } = [];

    public static async Task<FakeDaemon> StartAsync(string directory)
    {
        var socket = Path.Combine(directory, "tandem.sock");
        var cluster = new InMemoryAgentApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            foreach (var converter in LocalAgentApiClient.Json.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        var app = builder.Build();
        var daemon = new FakeDaemon(app, socket, cluster);
        app.Use(async (context, next) =>
        {
            lock (daemon.Requests)
            {
                daemon.Requests.Add($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            }
            await next(context);
        });
        var none = CancellationToken.None;
        static IResult NotFound(string message) => Results.Json(new ApiError(message), statusCode: 404);
        static IResult BadLifetime(string? text) => Results.Json(new ApiError($"lifetime '{text}' is not reboot or forever"), statusCode: 400);

        app.MapGet("/v1/node", () => cluster.Local);
        app.MapGet("/v1/nodes", async () => await cluster.GetNodesAsync(none));
        app.MapGet("/v1/nodes/{node}/attributes", async (string node, string? lifetime) =>
            AgentApiRoutes.TryParseLifetime(lifetime, out var l)
                ? Results.Ok(new NodeAttributes(await cluster.ListNodeAttributesAsync(node, l, none)))
                : BadLifetime(lifetime));
        app.MapGet("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var l))
            {
                return BadLifetime(lifetime);
            }
            return await cluster.GetNodeAttributeAsync(node, name, l, none) is { } attribute
                ? Results.Ok(attribute)
                : NotFound($"node {node} has no attribute {name} ({lifetime})");
        });
        app.MapPut("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime, AttributeUpdate update) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var l))
            {
                return BadLifetime(lifetime);
            }
            if (cluster.Nodes.All(n => n.Name != node))
            {
                return NotFound($"no node '{node}' in the cluster");
            }
            await cluster.SetNodeAttributeAsync(node, name, update.Value, l, none);
            return Results.Ok(new NodeAttribute(node, name, update.Value, l));
        });
        app.MapDelete("/v1/nodes/{node}/attributes/{name}", async (string node, string name, string? lifetime) =>
        {
            if (!AgentApiRoutes.TryParseLifetime(lifetime, out var l))
            {
                return BadLifetime(lifetime);
            }
            await cluster.DeleteNodeAttributeAsync(node, name, l, none);
            return Results.NoContent();
        });
        app.MapGet("/v1/properties/{name}", async (string name) =>
            await cluster.GetPropertyAsync(name, none) is { } property ? Results.Ok(property) : NotFound($"no cluster property '{name}'"));
        app.MapPut("/v1/properties/{name}", async (string name, AttributeUpdate update) =>
        {
            await cluster.SetPropertyAsync(name, update.Value, none);
            return Results.Ok(new ClusterProperty(name, update.Value));
        });
        app.MapDelete("/v1/properties/{name}", async (string name) =>
        {
            await cluster.DeletePropertyAsync(name, none);
            return Results.NoContent();
        });
        app.MapGet("/v1/resources", async () => await cluster.ListResourcesAsync(none));
        app.MapGet("/v1/resources/{id}/locations", async (string id) =>
            await cluster.GetResourceLocationsAsync(id, none) is { } located ? Results.Ok(located) : NotFound($"no resource '{id}'"));
        await app.StartAsync();
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
