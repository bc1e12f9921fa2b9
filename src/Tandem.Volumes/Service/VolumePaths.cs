namespace Tandem.Volumes.Service;

/// <summary>
/// Where a volume service keeps its things. Defaults are the production paths; tests and the lab give
/// each node its own (TANDEM_VOLUMES_* environment variables or serve options).
/// </summary>
public sealed record VolumePaths(string ConfigDir, string RunDir, string DevDir)
{
    public static VolumePaths FromEnvironment() => new(
        Environment.GetEnvironmentVariable("TANDEM_VOLUMES_CONFIG_DIR") ?? Definition.DefinitionFile.DefaultDirectory,
        Environment.GetEnvironmentVariable("TANDEM_VOLUMES_RUN_DIR") ?? "/run/tandem/volumes",
        Environment.GetEnvironmentVariable("TANDEM_VOLUMES_DEV_DIR") ?? "/dev/tandem");

    /// <summary>The node this service speaks for: TANDEM_NODE, else the host name (like DRBD's <c>on HOST</c>).</summary>
    public static string NodeName() => Environment.GetEnvironmentVariable("TANDEM_NODE") ?? Environment.MachineName;

    public string Socket => Path.Combine(RunDir, "volumes.sock");

    public string PidFile => Path.Combine(RunDir, "serve.pid");

    public string MountPoint(string volume) => Path.Combine(RunDir, "mnt", volume);

    public string DeviceLink(string volume) => Path.Combine(DevDir, volume);
}
