using System.Security.Cryptography;
using System.Text;
using Tandem.Model;

namespace Tandem.Node.Configuration;

/// <summary>
/// A configuration's version and a digest of its content. Equal versions with different digests mean
/// that two partitions each changed the configuration while apart.
/// </summary>
public sealed record ConfigStamp(ConfigVersion Version, string Digest)
{
    /// <summary>The digest of a configuration's canonical JSON form (the first 16 hex digits of its SHA-256).</summary>
    public static string DigestOf(string canonicalJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)))[..16];

    public override string ToString() => $"{Version} ({Digest})";
}
