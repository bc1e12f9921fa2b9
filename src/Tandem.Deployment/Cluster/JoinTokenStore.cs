using System.Security.Cryptography;
using System.Text.Json;

namespace Tandem.Deployment.Cluster;

/// <summary>How a join request with a token came out.</summary>
public enum RedeemOutcome
{
    Accepted,
    UnknownToken,
    AlreadyUsed,
    Expired,
    OtherNode,
}

/// <summary>An issued token as the first node remembers it: a hash of the secret, never the secret.</summary>
public sealed record IssuedToken(string Node, string SecretSha256, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public DateTimeOffset? UsedAt { get; init; }
}

/// <summary>
/// The first node's record of the join tokens it issued (/var/lib/tandem/join-tokens.json, with a format
/// version). A token is accepted once, before it expires, for the node it was issued to. The file is
/// changed under an exclusive lock, so two joins cannot both use one token.
/// </summary>
public sealed class JoinTokenStore(string path, TimeProvider time)
{
    public const string FormatName = "tandem-join-tokens";
    public const int FormatVersion = 1;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Issues a token for a node (replacing any unused one of that node).</summary>
    public JoinToken Issue(string node, int port, byte[] certificateFingerprint, TimeSpan? lifetime = null)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var now = time.GetUtcNow();
        Update(tokens =>
        {
            tokens.RemoveAll(t => t.Node == node && t.UsedAt is null);
            tokens.Add(new IssuedToken(node, Hash(secret), now, now + (lifetime ?? DefaultLifetime)));
        });
        return new JoinToken(node, port, certificateFingerprint, secret);
    }

    /// <summary>Checks a presented secret for the node that presents it and, if good, marks it used.</summary>
    public (RedeemOutcome Outcome, IssuedToken? Token) Redeem(string node, byte[] secret)
    {
        var hash = Hash(secret);
        var now = time.GetUtcNow();
        (RedeemOutcome, IssuedToken?) result = (RedeemOutcome.UnknownToken, null);
        Update(tokens =>
        {
            var index = tokens.FindIndex(t => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(t.SecretSha256), Convert.FromHexString(hash)));
            if (index < 0)
            {
                return;
            }
            var token = tokens[index];
            if (token.UsedAt is not null)
            {
                result = (RedeemOutcome.AlreadyUsed, token);
            }
            else if (token.ExpiresAt <= now)
            {
                result = (RedeemOutcome.Expired, token);
            }
            else if (token.Node != node)
            {
                result = (RedeemOutcome.OtherNode, token);
            }
            else
            {
                tokens[index] = token with { UsedAt = now };
                result = (RedeemOutcome.Accepted, tokens[index]);
            }
        });
        return result;
    }

    public IReadOnlyList<IssuedToken> List()
    {
        IReadOnlyList<IssuedToken> list = [];
        Update(tokens => list = [.. tokens]);
        return list;
    }

    private static string Hash(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret));

    private void Update(Action<List<IssuedToken>> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = OpenLocked();
        var tokens = Read(file);
        change(tokens);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Document(FormatName, FormatVersion, tokens), Json);
        file.SetLength(0);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private FileStream OpenLocked()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                return stream;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private List<IssuedToken> Read(FileStream file)
    {
        if (file.Length == 0)
        {
            return [];
        }
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(file, Json);
        }
        catch (JsonException e)
        {
            throw new DeploymentException($"{path}: unreadable ({e.Message})");
        }
        if (document is null || document.Format != FormatName)
        {
            throw new DeploymentException($"{path}: not a Tandem join-token file");
        }
        if (document.FormatVersion != FormatVersion)
        {
            throw new DeploymentException(document.FormatVersion > FormatVersion
                ? $"{path}: format version {document.FormatVersion} was written by a newer Tandem (this one reads {FormatVersion}); upgrade Tandem on this node"
                : $"{path}: unsupported format version {document.FormatVersion} (this Tandem reads {FormatVersion})");
        }
        file.Position = 0;
        return [.. document.Tokens];
    }

    private sealed record Document(string Format, int FormatVersion, List<IssuedToken> Tokens);
}
