using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Agents.LocalApi;

/// <summary><see cref="IAgentApi"/> over the daemon's local API: HTTP/JSON on its unix socket.</summary>
public sealed class LocalAgentApiClient : IAgentApi, IDisposable
{
    /// <summary>The JSON style of the local API: camelCase, enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http;
    private readonly string _socketPath;

    public LocalAgentApiClient(string socketPath, TimeSpan? timeout = null)
    {
        _socketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://tandem/"), Timeout = timeout ?? TimeSpan.FromSeconds(15) };
    }

    public void Dispose() => _http.Dispose();

    public async Task<NodeIdentity> GetLocalNodeAsync(CancellationToken cancellationToken) =>
        await GetAsync<NodeIdentity>(AgentApiRoutes.LocalNode, cancellationToken).ConfigureAwait(false)
        ?? throw new AgentApiException(AgentApiFailure.Protocol, "the daemon does not know the local node");

    public async Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken) =>
        await GetAsync<ClusterNodes>(AgentApiRoutes.Nodes, cancellationToken).ConfigureAwait(false)
        ?? throw new AgentApiException(AgentApiFailure.Protocol, "the daemon has no node list");

    public Task<NodeAttribute?> GetNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        GetAsync<NodeAttribute>(AgentApiRoutes.NodeAttribute(node, name, lifetime), cancellationToken);

    public async Task<IReadOnlyList<NodeAttribute>> ListNodeAttributesAsync(string node, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        (await GetAsync<NodeAttributes>(AgentApiRoutes.NodeAttributes(node, lifetime), cancellationToken).ConfigureAwait(false))?.Attributes ?? [];

    public Task SetNodeAttributeAsync(string node, string name, string value, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, AgentApiRoutes.NodeAttribute(node, name, lifetime), new AttributeUpdate(value), cancellationToken);

    public Task DeleteNodeAttributeAsync(string node, string name, AttributeLifetime lifetime, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, AgentApiRoutes.NodeAttribute(node, name, lifetime), null, cancellationToken);

    public Task<ClusterProperty?> GetPropertyAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<ClusterProperty>(AgentApiRoutes.Property(name), cancellationToken);

    public Task SetPropertyAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, AgentApiRoutes.Property(name), new AttributeUpdate(value), cancellationToken);

    public Task DeletePropertyAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, AgentApiRoutes.Property(name), null, cancellationToken);

    public Task<ResourceLocations?> GetResourceLocationsAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<ResourceLocations>(AgentApiRoutes.ResourceLocations(id), cancellationToken);

    public async Task<ResourceList> ListResourcesAsync(CancellationToken cancellationToken) =>
        await GetAsync<ResourceList>(AgentApiRoutes.Resources, cancellationToken).ConfigureAwait(false) ?? new ResourceList([]);

    /// <summary>GET; null on 404.</summary>
    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        using var response = await ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new AgentApiException(AgentApiFailure.Protocol, $"the daemon's answer to GET /{path} is not what this client expects ({e.Message})");
        }
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        using var response = await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        if (method == HttpMethod.Delete && response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AgentApiException(AgentApiFailure.Unavailable, $"the Tandem daemon is not reachable on {_socketPath} ({e.InnerException?.Message ?? e.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentApiException(AgentApiFailure.Unavailable, $"the Tandem daemon did not answer within {_http.Timeout.TotalSeconds:0} s ({_socketPath})");
        }
        finally
        {
            request.Dispose();
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync<ApiError>(Json, cancellationToken).ConfigureAwait(false))?.Error;
        }
        catch (JsonException)
        {
        }
        throw new AgentApiException(
            response.StatusCode == HttpStatusCode.NotFound ? AgentApiFailure.NotFound : AgentApiFailure.Rejected,
            error ?? $"the daemon answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
