namespace Tandem.Node.Api;

/// <summary>Where the daemon's local API listens. Root-only: the directory is 0700 and the socket 0600.</summary>
public static class LocalApiPaths
{
    public const string DefaultSocket = "/run/tandem/tandem.sock";

    /// <summary>The socket path, overridable with TANDEM_SOCKET (tests, several daemons on one host).</summary>
    public static string Socket =>
        Environment.GetEnvironmentVariable("TANDEM_SOCKET") is { Length: > 0 } path ? path : DefaultSocket;
}
