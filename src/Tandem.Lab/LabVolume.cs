using System.Globalization;

namespace Tandem.Lab;

/// <summary>
/// A replicated volume made in a running lab as an operator makes one (docs/volumes.md), with the `tandem`
/// CLI inside the nodes: `volume create` on the first node (the daemons carry the definition to the
/// others), create-md and up on every node, a forced Primary on the first and the initial sync; then,
/// if asked, a file system made on it, populated, and the volume handed back as Secondary, so that a
/// cluster configuration with ocf:tandem:volume takes it over. Used by `tandem lab demo` and the lab tests.
/// </summary>
public sealed class LabVolume(LabController controller, string tandemPath, string name)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public string Name { get; } = name;

    /// <summary>The block device while this volume is Primary on a node (each node has its own /dev/tandem).</summary>
    public string Device => $"/dev/tandem/{Name}";

    /// <summary>The backing file on every node (the definition's default disk).</summary>
    public string BackingFile => $"/var/lib/tandem/volumes/{Name}.img";

    /// <summary>
    /// Defines the volume on <paramref name="nodes"/> (two of the lab's nodes), brings it up on both and makes
    /// the first one Primary with a full initial sync. Returns when both replicas are UpToDate.
    /// </summary>
    public async Task CreateAsync(string size, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count != 2)
        {
            throw new LabException($"a volume has two replicas, not {nodes.Count} ({string.Join(", ", nodes)})");
        }
        var state = controller.Load();
        var replicas = string.Join(',', nodes.Select(n => $"{n}={state.Node(n).Address}"));
        // The lab's disks are files on one host disk: let the initial sync run as fast as that disk allows.
        await TandemAsync(nodes[0], ["volume", "create", Name, "--size", size, "--resync-rate", "1G", "--node", replicas], cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            await TandemAsync(node, ["volume", "create-md", Name], cancellationToken).ConfigureAwait(false);
            await TandemAsync(node, ["volume", "up", Name], cancellationToken).ConfigureAwait(false);
        }
        await TandemAsync(nodes[0], ["volume", "primary", "--force", Name], cancellationToken).ConfigureAwait(false);
        await TandemAsync(nodes[0], ["volume", "wait-sync", Name, "--timeout", CommandTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a file system on the volume where it is Primary and, when <paramref name="populate"/> is given,
    /// runs that shell script with the new file system mounted (its mount point is "$1"); unmounts again.
    /// </summary>
    public async Task FormatAsync(string node, string fileSystemType, string? populate, CancellationToken cancellationToken)
    {
        await ShAsync(node, $"mkfs -t {fileSystemType} -q {(fileSystemType == "ext4" ? "-F " : "")}{Device}", cancellationToken).ConfigureAwait(false);
        if (populate is null)
        {
            return;
        }
        const string mnt = "/tmp/tandem-lab-volume";
        await ShAsync(node, $"mkdir -p {mnt} && mount {Device} {mnt}", cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(node, ["sh", "-c", populate, "populate", mnt], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ShAsync(node, $"umount {mnt}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands the volume back as Secondary on that node (both replicas stay up and connected).</summary>
    public Task DemoteAsync(string node, CancellationToken cancellationToken) =>
        TandemAsync(node, ["volume", "secondary", Name], cancellationToken);

    /// <summary>`tandem ARGS` inside a node; a failure is a one-line LabException naming the command.</summary>
    public Task<CommandResult> TandemAsync(string node, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(node, [tandemPath, .. arguments], cancellationToken);

    private Task<CommandResult> ShAsync(string node, string script, CancellationToken cancellationToken) =>
        RunAsync(node, ["sh", "-c", script], cancellationToken);

    private async Task<CommandResult> RunAsync(string node, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, command, CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var shown = command[0] == tandemPath ? "tandem " + string.Join(' ', command.Skip(1)) : string.Join(' ', command);
            throw new LabException($"{shown} on {node} exited {result.ExitCode}: {result.FirstErrorLine}");
        }
        return result;
    }
}
