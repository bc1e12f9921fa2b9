using System.Collections.Concurrent;
using Tandem.Agents.Execution;

namespace Tandem.Agents.Metadata;

/// <summary>Gets agents' metadata by running their meta-data action through the executor, and keeps it
/// (agents are files on disk; a package upgrade is rare enough to need a daemon restart or
/// <see cref="Forget"/>).</summary>
public sealed class MetadataProvider(Executor executor) : IAgentMetadataSource
{
    /// <summary>Pacemaker allows meta-data 30 s; a healthy agent answers in milliseconds.</summary>
    public long TimeoutMs { get; init; } = 30_000;

    private readonly ConcurrentDictionary<string, AgentMetadata> _cache = new(StringComparer.Ordinal);

    public async Task<AgentMetadata> GetAsync(AgentName agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var key = agent.ToString();
        if (_cache.TryGetValue(key, out var known))
        {
            return known;
        }
        var result = await executor.RunAsync(
            new OperationRequest(key, agent, "meta-data") { TimeoutMs = TimeoutMs }, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == OcfExitCode.ErrInstalled && result.RawExitCode is null)
        {
            throw new MetadataException($"agent {key} is not installed ({result.ExitReason})");
        }
        if (result.Status != OperationStatus.Success)
        {
            var why = result.Status == OperationStatus.Timeout ? "timed out" : $"exited {result.RawExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "on a signal"}";
            var reason = result.ExitReason ?? FirstLine(result.Stderr);
            throw new MetadataException($"meta-data of {key} failed: {why}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}");
        }
        var metadata = MetadataParser.Parse(result.Stdout, key);
        _cache[key] = metadata;
        return metadata;
    }

    public void Forget(AgentName agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _cache.TryRemove(agent.ToString(), out _);
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}
