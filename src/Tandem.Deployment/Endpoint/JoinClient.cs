using System.Buffers.Text;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Endpoint;

/// <summary>
/// The joining node's side: HTTPS to the first node, trusting exactly the certificate whose fingerprint
/// the token carries (no certificate authority is known yet, and none other is needed).
/// </summary>
public static class JoinClient
{
    public static async Task<JoinBundle> JoinAsync(string firstNode, JoinToken token, string nodeName, string certificateRequestPem, CancellationToken cancellationToken)
    {
        var pinMismatch = false;
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    var pinned = certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), token.Fingerprint);
                    pinMismatch = !pinned;
                    return pinned;
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var host = firstNode.Contains(':', StringComparison.Ordinal) ? $"[{firstNode}]" : firstNode;
        var url = new Uri($"https://{host}:{token.Port}/v1/join");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, new JoinRequest(nodeName, Base64Url.EncodeToString(token.Secret), certificateRequestPem), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (pinMismatch)
        {
            throw new DeploymentException($"{firstNode}:{token.Port} presented a certificate that is not the one the token names: wrong node, or someone in between; join refused");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException s ? s.Message : e.Message;
            throw new DeploymentException($"cannot reach {firstNode}:{token.Port} ({reason}): is 'tandem cluster setup' done there and its daemon running?");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeploymentException($"{firstNode}:{token.Port} did not answer within 30 s");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new DeploymentException(error ?? $"{firstNode} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            return await response.Content.ReadFromJsonAsync<JoinBundle>(cancellationToken).ConfigureAwait(false)
                ?? throw new DeploymentException($"{firstNode} sent an empty answer");
        }
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<EndpointError>(cancellationToken).ConfigureAwait(false))?.Error;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
