using Tandem.Model;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Configuration;

/// <summary>A configuration that commands change: read it, then replace it if nobody changed it meanwhile.</summary>
public interface IConfigTarget : IConfigSource
{
    /// <summary>Replaces the configuration if it is still at <paramref name="baseVersion"/>; returns the new version.</summary>
    /// <exception cref="ConfigConflictException">Another change came first; read again and redo the edit.</exception>
    /// <exception cref="CliException">The change was refused or could not be made (one line).</exception>
    Task<ConfigVersion> ReplaceAsync(ConfigVersion baseVersion, ClusterConfiguration configuration, string description, CancellationToken cancellationToken);

    /// <summary>The cluster's nodes (from its membership layer) and the one this command runs on.</summary>
    Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The nodes the cluster knows (name and corosync id), the local one if known, and where resources are
/// active now (from the replicated status; empty when not known).
/// </summary>
public sealed record ClusterNodes(string? LocalNode, IReadOnlyList<KeyValuePair<string, string>> IdsByName)
{
    public static readonly ClusterNodes None = new(null, []);

    public IReadOnlyList<ResourcePlacement> Placements { get; init; } = [];

    public IReadOnlyCollection<string> Names => [.. IdsByName.Select(n => n.Key)];

    public string? IdOf(string name) => IdsByName.FirstOrDefault(n => n.Key == name).Value;
}

/// <summary>The configuration changed between reading it and replacing it.</summary>
public sealed class ConfigConflictException(string message) : Exception(message);
