using System.Collections;
using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Helpers;

/// <summary>What a helper command runs with: its environment (agents pass OCF_RESOURCE_INSTANCE and
/// OCF_RESKEY_CRM_meta_on_node there), its output streams, and the cluster API, connected only when a
/// command needs it.</summary>
public sealed class HelperContext(Func<string, string?> environment, TextWriter stdout, TextWriter stderr, Func<IAgentApi> connect)
{
    private IAgentApi? _api;

    public Func<string, string?> Environment { get; } = environment;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public IAgentApi Api => _api ??= connect();

    /// <summary>The context of a helper run as its own process: real environment and console, the daemon's socket.</summary>
    public static HelperContext ForProcess()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return new HelperContext(
            name => env.GetValueOrDefault(name),
            Console.Out,
            Console.Error,
            () => new LocalAgentApiClient(AgentApiRoutes.SocketPath(name => env.GetValueOrDefault(name))));
    }

    /// <summary>The node the agent runs for: CRM_meta_on_node as Pacemaker passes it, else the daemon's node.</summary>
    public async Task<string> LocalNodeAsync(CancellationToken cancellationToken) =>
        Environment("OCF_RESKEY_CRM_meta_on_node") is { Length: > 0 } node
            ? node
            : (await Api.GetLocalNodeAsync(cancellationToken).ConfigureAwait(false)).Name;
}
