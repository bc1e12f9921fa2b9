using System.Security.Cryptography;
using System.Text;

namespace Tandem.Volumes.Protocol;

/// <summary>
/// Challenge-response authentication with the shared secret, both ways: each side proves knowledge of the
/// secret with an HMAC-SHA256 over the other side's fresh nonce and its own, bound to the volume and to
/// who proves to whom (so a proof cannot be replayed or reflected back).
/// </summary>
public sealed class PeerAuthenticator(string secret, string volume)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(HelloMessage.NonceSize);

    /// <summary>The proof that <paramref name="prover"/> sends to <paramref name="verifier"/>.</summary>
    public byte[] Prove(string prover, string verifier, ReadOnlySpan<byte> verifierNonce, ReadOnlySpan<byte> proverNonce)
    {
        var label = Encoding.UTF8.GetBytes($"tandem-volume-auth-v1\0{volume}\0{prover}\0{verifier}\0");
        var message = new byte[label.Length + verifierNonce.Length + proverNonce.Length];
        label.CopyTo(message, 0);
        verifierNonce.CopyTo(message.AsSpan(label.Length));
        proverNonce.CopyTo(message.AsSpan(label.Length + verifierNonce.Length));
        return HMACSHA256.HashData(_key, message);
    }

    public bool Verify(string prover, string verifier, ReadOnlySpan<byte> verifierNonce, ReadOnlySpan<byte> proverNonce, ReadOnlySpan<byte> proof) =>
        proof.Length == 32 && CryptographicOperations.FixedTimeEquals(proof, Prove(prover, verifier, verifierNonce, proverNonce));
}
