using Microsoft.AspNetCore.Http;
using Tandem.Model;
using Tandem.Model.Json;
using Tandem.Node.Configuration;

namespace Tandem.Node.Api;

/// <summary>
/// Small configuration edits made for a caller (crm_attribute's permanent attributes and properties):
/// the edit is applied to the configuration in force and proposed on its version; when another change
/// wins the race, or the cluster is synchronising after a membership change, the edit is made again on
/// the new version until <see cref="IDaemonAccess.ChangeTimeout"/>.
/// </summary>
public static class ConfigEditor
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns once the edit is applied on this node (or changes nothing). Throws <see cref="ApiFailureException"/>.</summary>
    public static async Task EditAsync(IDaemonAccess daemon, string description, Func<ClusterConfiguration, ClusterConfiguration?> edit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(daemon.ChangeTimeout);
        try
        {
            while (true)
            {
                var (configuration, version, quorate, synchronising) = await daemon.ReadAsync(
                    core => (core.Config.Configuration, core.Config.Stamp.Version, core.Membership.Current.Quorate, core.Config.Synchronising),
                    deadline.Token).ConfigureAwait(false);
                if (!quorate)
                {
                    throw new ApiFailureException(StatusCodes.Status409Conflict, "this node's partition has no quorum: a configuration change made here would be lost when the cluster merges");
                }
                if (!synchronising)
                {
                    if (edit(configuration) is not { } edited)
                    {
                        return;
                    }
                    var change = new ConfigChange(Guid.NewGuid().ToString("N"), version, ConfigJson.Serialize(edited), description);
                    var outcome = await daemon.ProposeAsync(change, deadline.Token).ConfigureAwait(false);
                    if (outcome.Applied)
                    {
                        return;
                    }
                    if (outcome.Version == version && !await daemon.ReadAsync(core => core.Config.Synchronising, deadline.Token).ConfigureAwait(false))
                    {
                        throw new ApiFailureException(StatusCodes.Status409Conflict, outcome.Error ?? "the cluster refused the change");
                    }
                }
                // Another change came first, or the members are comparing copies: make the edit again on what wins.
                await Task.Delay(RetryDelay, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiFailureException(StatusCodes.Status504GatewayTimeout, $"the change ({description}) was not applied within {daemon.ChangeTimeout.TotalSeconds:0} s");
        }
    }
}
