using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Tandem.Node.Api;

/// <summary>The daemon's local API as a client sees it: HTTP/JSON over the node's unix socket.</summary>
public sealed class LocalApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _socketPath;

    public LocalApiClient(string? socketPath = null, TimeSpan? timeout = null)
    {
        _socketPath = socketPath ?? LocalApiPaths.Socket;
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
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://tandem/"), Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public Task<StatusResponse> GetStatusAsync(CancellationToken cancellationToken) =>
        GetAsync<StatusResponse>("v1/status", cancellationToken);

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync(path, cancellationToken)).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A GET whose answer is kept as text (the configuration document, which has its own reader).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync(path, cancellationToken)).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> PutAsync<TBody, T>(string path, TBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PutAsJsonAsync(path, body, LocalApiJson.Options, cancellationToken)).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> PostAsync<TBody, T>(string path, TBody body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync(path, body, LocalApiJson.Options, cancellationToken)).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw new LocalApiException(socket.SocketErrorCode switch
            {
                SocketError.AccessDenied => $"the local API ({_socketPath}) is root-only: run as root",
                _ => $"the Tandem daemon is not running on this node (cannot connect to {_socketPath})",
            });
        }
        catch (TaskCanceledException)
        {
            throw new LocalApiException($"the Tandem daemon did not answer within {_http.Timeout.TotalSeconds:0} s ({_socketPath})");
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var error = await TryReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new LocalApiException(error ?? $"the daemon answered {(int)response.StatusCode} {response.ReasonPhrase}", (int)response.StatusCode);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(LocalApiJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new LocalApiException("the daemon sent an empty answer");
        }
        catch (JsonException e)
        {
            throw new LocalApiException($"the daemon's answer is not what this client expects ({e.Message}); are the CLI and daemon the same version?");
        }
    }

    private static async Task<string?> TryReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<ApiError>(LocalApiJson.Options, cancellationToken).ConfigureAwait(false))?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
