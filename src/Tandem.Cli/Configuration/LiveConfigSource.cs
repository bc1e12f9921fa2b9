using Tandem.Model;
using Tandem.Model.Json;
using Tandem.Node.Api;

namespace Tandem.Cli.Configuration;

/// <summary>
/// The running cluster's configuration through the local daemon: GET /v1/config to read, PUT /v1/config
/// (compare-and-swap on the version, answered once the change came back through the cluster) to change.
/// </summary>
public sealed class LiveConfigSource(LocalApiClient api) : IConfigTarget
{
    public string Name => "the cluster";

    public async Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken)
    {
        var text = await CallAsync(() => api.GetTextAsync("v1/config", cancellationToken)).ConfigureAwait(false);
        try
        {
            var document = ConfigJson.Deserialize(text);
            return new LoadedConfiguration(document.Configuration, ConfigFormat.Json, document.Version, []);
        }
        catch (ConfigJsonException e)
        {
            throw new CliException($"the daemon sent a configuration this CLI cannot read ({e.Message}); are the CLI and daemon the same version?");
        }
    }

    public async Task<ConfigVersion> ReplaceAsync(ConfigVersion baseVersion, ClusterConfiguration configuration, string description, CancellationToken cancellationToken)
    {
        var request = new ConfigPutRequest(baseVersion, ConfigJson.Serialize(configuration, baseVersion), description);
        try
        {
            var response = await api.PutAsync<ConfigPutRequest, ConfigPutResponse>("v1/config", request, cancellationToken).ConfigureAwait(false);
            return response.Version;
        }
        catch (LocalApiException e) when (e.StatusCode == 412)
        {
            throw new ConfigConflictException(e.Message);
        }
        catch (LocalApiException e)
        {
            throw new CliException(e.Message);
        }
    }

    public async Task<ClusterNodes> GetNodesAsync(CancellationToken cancellationToken)
    {
        var status = await CallAsync(() => api.GetStatusAsync(cancellationToken)).ConfigureAwait(false);
        return new ClusterNodes(status.LocalNode.Name,
            [.. status.Nodes.Select(n => KeyValuePair.Create(n.Name, n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))])
        {
            Placements = status.Runtime?.Placements ?? [],
        };
    }

    /// <summary>This node's copy of the configuration and the last merge that replaced it.</summary>
    public Task<ConfigStatusResponse> GetStatusAsync(CancellationToken cancellationToken) =>
        CallAsync(() => api.GetAsync<ConfigStatusResponse>("v1/config/status", cancellationToken));

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (LocalApiException e)
        {
            throw new CliException(e.Message);
        }
    }
}
