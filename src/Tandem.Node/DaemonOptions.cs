using Tandem.Node.Api;
using Tandem.Node.Configuration;
using Tandem.Node.Volumes;

namespace Tandem.Node;

/// <summary>Where a daemon keeps its state and serves its API.</summary>
public sealed record DaemonOptions
{
    public string NodeName { get; init; } = Environment.MachineName;
    public string SocketPath { get; init; } = LocalApiPaths.Socket;
    public string ConfigPath { get; init; } = FileConfigStorage.DefaultPath;

    /// <summary>Where this node keeps volume definitions (read by `tandem volume serve`).</summary>
    public string VolumesDirectory { get; init; } = VolumeDefinitionFiles.DefaultDirectory;

    /// <summary>How long an API call waits for its change to come back through the bus.</summary>
    public TimeSpan ChangeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How this node fences itself (a shell command); null: reboot through /proc/sysrq-trigger.</summary>
    public string? SelfFenceCommand { get; init; } = Environment.GetEnvironmentVariable(Fencing.SelfFencing.CommandVariable);
}
