using System.Buffers.Text;
using System.Text.Json;

namespace Tandem.Deployment.Cluster;

/// <summary>
/// A one-time join token, printed by `tandem cluster setup` for each other node. It authenticates both
/// sides: the joiner pins the first node's certificate by <see cref="Fingerprint"/> (so it cannot be sent
/// to an impostor), and proves itself with <see cref="Secret"/>, which the first node accepts once.
/// </summary>
public sealed record JoinToken(string Node, int Port, byte[] Fingerprint, byte[] Secret)
{
    private const string Prefix = "tandem1.";

    public string Format()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(Node, Port, Base64Url.EncodeToString(Fingerprint), Base64Url.EncodeToString(Secret)));
        return Prefix + Base64Url.EncodeToString(payload);
    }

    /// <exception cref="DeploymentException">The text is not a token (one line saying so).</exception>
    public static JoinToken Parse(string text)
    {
        const string malformed = "the join token is malformed: copy it whole from the output of 'tandem cluster setup'";
        text = text.Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new DeploymentException(malformed);
        }
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(text.AsSpan(Prefix.Length)));
            if (payload is null || payload.N is not { Length: > 0 } || payload.P is < 1 or > 65535)
            {
                throw new DeploymentException(malformed);
            }
            var fingerprint = Base64Url.DecodeFromChars(payload.F);
            var secret = Base64Url.DecodeFromChars(payload.S);
            return fingerprint.Length == 32 && secret.Length >= 16 ? new JoinToken(payload.N, payload.P, fingerprint, secret) : throw new DeploymentException(malformed);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw new DeploymentException(malformed);
        }
    }

    /// <summary>Never the secret: tokens end up in logs.</summary>
    public override string ToString() => $"join token for {Node} (port {Port}, certificate {Convert.ToHexStringLower(Fingerprint)[..16]}...)";

    private sealed record Payload(string N, int P, string F, string S);
}
