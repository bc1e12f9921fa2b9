using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Agents.Execution;
using Tandem.Agents.Processes;
using Tandem.Bus.InMemory;
using Tandem.Model;
using Tandem.Model.Json;

namespace Tandem.Node.Tests.Configuration;

/// <summary>
/// What the daemon does with a stored configuration in another format version: a newer one (written by a
/// newer Tandem, found after a downgrade) is refused and left as it is; an older or unreadable one is moved
/// aside and the cluster's copy taken.
/// </summary>
public sealed class StoredFormatVersionTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-format-").FullName;
    private readonly Executor _executor = new(new ExecutorOptions { NodeName = "astapor" }, new PosixProcessLauncher(), TimeProvider.System);

    private string ConfigPath => Path.Combine(_dir, "config.json");

    private static string Document(int formatVersion) =>
        ConfigJson.Serialize(ClusterConfiguration.Empty).Replace("\"formatVersion\": 1", $"\"formatVersion\": {formatVersion}", StringComparison.Ordinal);

    private DaemonHost StartHost()
    {
        var network = new InMemoryNetwork(new InMemoryClusterConfig("t", [new InMemoryNode(1, "astapor")]), seed: 1);
        network.StartNode(1);
        return new DaemonHost(network.Connect(1), _executor, new DaemonOptions { NodeName = "astapor", ConfigPath = ConfigPath }, NullLoggerFactory.Instance, TimeProvider.System);
    }

    [Fact]
    public void A_newer_format_is_refused_and_left_untouched()
    {
        var newer = Document(ConfigJson.FormatVersion + 1);
        File.WriteAllText(ConfigPath, newer);
        var e = Assert.Throws<InvalidOperationException>(() => StartHost());
        Assert.Contains("newer Tandem", e.Message, StringComparison.Ordinal);
        Assert.Contains(ConfigPath, e.Message, StringComparison.Ordinal);
        Assert.Equal(newer, File.ReadAllText(ConfigPath));
        Assert.Equal([ConfigPath], Directory.GetFiles(_dir));
    }

    [Fact]
    public void An_older_format_is_moved_aside_not_misread()
    {
        var older = Document(ConfigJson.FormatVersion - 1);
        File.WriteAllText(ConfigPath, older);
        StartHost();
        Assert.False(File.Exists(ConfigPath));
        var aside = Assert.Single(Directory.GetFiles(_dir));
        Assert.Contains(".unreadable-", aside, StringComparison.Ordinal);
        Assert.Equal(older, File.ReadAllText(aside));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit 2 calls IAsyncLifetime on test classes, not IAsyncDisposable.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await _executor.DisposeAsync();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
