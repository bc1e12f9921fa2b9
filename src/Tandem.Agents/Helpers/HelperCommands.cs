using Tandem.Agents.LocalApi;

namespace Tandem.Agents.Helpers;

/// <summary>
/// Pacemaker's command-line tools as resource agents call them, backed by Tandem's cluster through the
/// local API. They are installed as symlinks to the <c>tandem</c> executable in a directory that only agents
/// get on their PATH (and as HA_SBIN_DIR), so Debian's heartbeat, pacemaker and linbit agents run unchanged
/// while the host's own Pacemaker tools stay untouched.
/// </summary>
public static class HelperCommands
{
    /// <summary>The names the tandem executable answers to when invoked through a symlink.</summary>
    public static IReadOnlyList<string> Names { get; } = ["crm_attribute", "crm_master", "crm_node", "crm_resource", "crm_mon", "attrd_updater"];

    /// <summary>The version the helpers report: agents compare it with Pacemaker versions.</summary>
    public const string PacemakerVersion = "2.1.5";

    public static bool IsHelper(string name) => Names.Contains(name);

    /// <summary>The name this process was invoked by (argv[0] as exec'd, before the .NET host resolved the
    /// symlink), e.g. "crm_attribute" when run through agent-bin/crm_attribute.</summary>
    public static string InvokedName()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            var argv0 = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            return Path.GetFileName(argv0);
        }
        catch (IOException)
        {
            return Path.GetFileName(Environment.GetCommandLineArgs()[0]);
        }
    }

    public static async Task<int> RunAsync(string name, IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return name switch
            {
                "crm_attribute" => await CrmAttribute.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                "crm_master" => await CrmMaster.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                "crm_node" => await CrmNode.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                "crm_resource" => await CrmResource.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                "crm_mon" => await CrmMon.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                "attrd_updater" => await AttrdUpdater.RunAsync(args, context, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a helper command"),
            };
        }
        catch (HelperUsageException e)
        {
            await context.Error.WriteLineAsync($"{name}: {e.Message}").ConfigureAwait(false);
            return HelperExit.Usage;
        }
        catch (AgentApiException e)
        {
            await context.Error.WriteLineAsync(e.Failure switch
            {
                AgentApiFailure.Unavailable => $"{name}: Could not connect to the cluster: {e.Message}",
                _ => $"{name}: Error performing operation: {e.Message}",
            }).ConfigureAwait(false);
            return e.Failure switch
            {
                AgentApiFailure.Unavailable => HelperExit.Disconnect,
                AgentApiFailure.NotFound => HelperExit.NoSuch,
                _ => HelperExit.Error,
            };
        }
    }

    internal static async Task<int> VersionAsync(HelperContext context)
    {
        await context.Out.WriteLineAsync($"Pacemaker {PacemakerVersion}").ConfigureAwait(false);
        await context.Out.WriteLineAsync("Written by Andrew Beekhof and the Pacemaker project contributors (compatible helper of Tandem)").ConfigureAwait(false);
        return HelperExit.Ok;
    }

    internal static async Task<int> UnsupportedAsync(HelperContext context, string name, string what)
    {
        await context.Error.WriteLineAsync($"{name}: {what} is not supported by Tandem's agent helper (use the tandem command)").ConfigureAwait(false);
        return HelperExit.Unimplemented;
    }
}
