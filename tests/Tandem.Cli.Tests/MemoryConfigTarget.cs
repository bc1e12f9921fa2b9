using Tandem.Cli.Configuration;
using Tandem.Model;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Tests;

/// <summary>
/// The cluster's configuration store as the CLI sees it, in memory: compare-and-swap on the version,
/// and an optional change by "someone else" that lands just before this client's next replace; where
/// resources run is whatever <see cref="Running"/> says of the current configuration.
/// </summary>
internal sealed class MemoryConfigTarget(ClusterConfiguration initial, ClusterNodes? nodes = null) : IConfigTarget
{
    public ClusterConfiguration Configuration { get; private set; } = initial;

    public ConfigVersion Version { get; private set; } = new(0, 1, 0);

    public List<string> Descriptions { get; } = [];

    /// <summary>Applied (and counted as a version) right before the next replace, which then conflicts.</summary>
    public Queue<Func<ClusterConfiguration, ClusterConfiguration>> Interference { get; } = new();

    public int Replaces { get; private set; }

    public Func<ClusterConfiguration, IReadOnlyList<ResourcePlacement>> Running { get; set; } = _ => [];

    public string Name => "memory";

    public Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new LoadedConfiguration(Configuration, ConfigFormat.Json, Version, []));

    public Task<ConfigVersion> ReplaceAsync(ConfigVersion baseVersion, ClusterConfiguration configuration, string description, CancellationToken cancellationToken)
    {
        Replaces++;
        if (Interference.TryDequeue(out var other))
        {
            Configuration = other(Configuration);
            Version = Version with { Epoch = Version.Epoch + 1 };
        }
        if (baseVersion != Version)
        {
            throw new ConfigConflictException($"the configuration changed meanwhile (it is at version {Version}, the change was made on {baseVersion})");
        }
        Configuration = configuration;
        Version = Version with { Epoch = Version.Epoch + 1 };
        Descriptions.Add(description);
        return Task.FromResult(Version);
    }

    public Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult((nodes ?? new ClusterNodes("astapor", [KeyValuePair.Create("astapor", "1"), KeyValuePair.Create("braavos", "2")])) with { Placements = Running(Configuration) });
}
