namespace Tandem.Agents.LocalApi;

/// <summary>
/// The routes of the daemon's local API that agents' helper commands use (HTTP/JSON on
/// /run/tandem/tandem.sock, or $TANDEM_SOCKET). The daemon implements them; docs/api.md is their contract.
/// Path segments are escaped, lifetimes travel as <c>?lifetime=reboot|forever</c>.
/// </summary>
public static class AgentApiRoutes
{
    public const string DefaultSocket = "/run/tandem/tandem.sock";

    /// <summary>The socket path: TANDEM_SOCKET when set (tests, several daemons on one host), else the default.</summary>
    public static string SocketPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment("TANDEM_SOCKET") is { Length: > 0 } path ? path : DefaultSocket;
    }

    public const string LocalNode = "v1/node";

    public const string Nodes = "v1/nodes";

    public const string Resources = "v1/resources";

    public static string NodeAttributes(string node, AttributeLifetime lifetime) =>
        $"v1/nodes/{Escape(node)}/attributes?lifetime={Lifetime(lifetime)}";

    public static string NodeAttribute(string node, string name, AttributeLifetime lifetime) =>
        $"v1/nodes/{Escape(node)}/attributes/{Escape(name)}?lifetime={Lifetime(lifetime)}";

    public static string Property(string name) => $"v1/properties/{Escape(name)}";

    public static string ResourceLocations(string id) => $"v1/resources/{Escape(id)}/locations";

    public static string Lifetime(AttributeLifetime lifetime) => lifetime == AttributeLifetime.Reboot ? "reboot" : "forever";

    public static bool TryParseLifetime(string? text, out AttributeLifetime lifetime)
    {
        switch (text)
        {
            case "reboot":
                lifetime = AttributeLifetime.Reboot;
                return true;
            case "forever":
                lifetime = AttributeLifetime.Forever;
                return true;
            default:
                lifetime = default;
                return false;
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
