using Tandem.Deployment.Services;
using Tandem.Volumes.Definition;

namespace Tandem.Deployment.Cluster;

/// <summary>What `tandem cluster destroy` removed and what it kept.</summary>
public sealed record DestroyResult(IReadOnlyList<string> Removed, IReadOnlyList<string> Kept);

/// <summary>
/// `tandem cluster destroy`: stops this node's services and removes the cluster's configuration and state,
/// leaving the node as before setup. Volume definitions and data stay unless <c>wipeData</c> is asked,
/// and even then block devices are only named, never overwritten.
/// </summary>
public sealed class ClusterDestroy(ClusterPaths paths, IServiceManager services)
{
    public async Task<DestroyResult> RunAsync(bool wipeData, string thisNode, CancellationToken cancellationToken)
    {
        await services.StopAsync(volumes: true, cancellationToken).ConfigureAwait(false);
        await services.UninstallAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        var kept = new List<string>();
        var state = Directory.Exists(paths.StateDir)
            ? Directory.GetFiles(paths.StateDir, "config.json*")
            : [];
        var corosyncState = Directory.Exists(paths.CorosyncStateDir) ? Directory.GetFiles(paths.CorosyncStateDir, "ringid_*") : [];
        foreach (var file in paths.OwnedFiles.Concat(state).Concat(corosyncState))
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                removed.Add(file);
            }
        }
        foreach (var dir in new[] { paths.TlsDir, Path.Combine(paths.RunDir, "services") })
        {
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.Delete(dir);
            }
        }
        if (Directory.Exists(paths.VolumesDir))
        {
            foreach (var definition in Directory.GetFiles(paths.VolumesDir, "*" + DefinitionFile.Extension).Order(StringComparer.Ordinal))
            {
                if (wipeData)
                {
                    WipeVolume(definition, thisNode, removed, kept);
                }
                else
                {
                    kept.Add(definition);
                }
            }
        }
        return new DestroyResult(removed, kept);
    }

    private static void WipeVolume(string definitionFile, string thisNode, List<string> removed, List<string> kept)
    {
        ReplicaDefinition? replica;
        try
        {
            replica = DefinitionFile.Load(definitionFile).Replicas.FirstOrDefault(r => r.Node == thisNode);
        }
        catch (VolumeDefinitionException e)
        {
            throw new DeploymentException($"{e.Message}: not wiping what it names; fix or remove the definition first");
        }
        foreach (var path in replica is null ? [] : (string[])[replica.Disk, replica.InternalMetadata ? "" : replica.MetaDisk])
        {
            if (path.Length == 0 || !File.Exists(path))
            {
                continue;
            }
            if (IsDevice(path))
            {
                kept.Add($"{path} (a device: wipe it yourself with wipefs)");
                continue;
            }
            File.Delete(path);
            removed.Add(path);
        }
        File.Delete(definitionFile);
        removed.Add(definitionFile);
    }

    private static bool IsDevice(string path) =>
        path.StartsWith("/dev/", StringComparison.Ordinal)
        || File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName.StartsWith("/dev/", StringComparison.Ordinal) == true;
}
