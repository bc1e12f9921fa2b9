using Tandem.Model;
using Tandem.Model.Diagnostics;
using Tandem.Model.Editing;
using Tandem.Model.Validation;

namespace Tandem.Cli.Configuration;

/// <summary>
/// Makes one change to a configuration: read it, apply the edit, refuse it if it adds errors (before
/// anything is sent), then replace it on the version read. When another change came first, the edit is
/// redone on the new configuration, a bounded number of times.
/// </summary>
public static class ConfigUpdater
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// Errors about what the cluster will do rather than about the configuration's correctness: a fresh
    /// cluster has fencing on and no fence device yet, and its first resource must still be accepted.
    /// They are printed, not refused.
    /// </summary>
    private static readonly HashSet<string> NotBlocking = new(StringComparer.Ordinal) { "no-fence-device" };

    /// <summary>Applies <paramref name="edit"/> (only on <paramref name="versionCheck"/> when given); prints its notes, new warnings and the new version. Returns the version, or null when nothing changed.</summary>
    /// <exception cref="CliException">The edit is invalid, adds errors, or the configuration kept changing; nothing was changed.</exception>
    public static async Task<ConfigVersion?> ApplyAsync(
        IConfigTarget target,
        string description,
        Func<ClusterConfiguration, ClusterNodes, ConfigEdit> edit,
        TextWriter output,
        CancellationToken cancellationToken,
        int maxAttempts = MaxAttempts,
        ConfigVersion? versionCheck = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(output);
        time ??= TimeProvider.System;
        var nodes = await target.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await target.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (versionCheck is { } expected && loaded.Version != expected)
            {
                throw new CliException($"the configuration changed meanwhile (it is at version {loaded.Version}, the change was made on {expected}); nothing changed");
            }
            ConfigEdit result;
            try
            {
                result = edit(loaded.Configuration, nodes);
            }
            catch (ConfigEditException e)
            {
                throw new CliException($"{e.Message} (nothing changed)");
            }
            foreach (var note in result.Notes)
            {
                await output.WriteLineAsync(note).ConfigureAwait(false);
            }
            if (result.Configuration == loaded.Configuration)
            {
                await output.WriteLineAsync($"no change (configuration version {loaded.Version})").ConfigureAwait(false);
                return null;
            }
            var added = NewFindings(loaded.Configuration, result.Configuration);
            var errors = added.Where(d => d.Severity == DiagnosticSeverity.Error && !NotBlocking.Contains(d.Code ?? "")).ToList();
            if (errors.Count > 0)
            {
                throw new CliException($"{errors[0].Message}{(errors.Count > 1 ? $" (and {errors.Count - 1} more error{(errors.Count > 2 ? "s" : "")})" : "")}; nothing changed");
            }
            try
            {
                var version = await target.ReplaceAsync(loaded.Version, result.Configuration, description, cancellationToken).ConfigureAwait(false);
                foreach (var warning in added.Where(d => d.Severity != DiagnosticSeverity.Info))
                {
                    await output.WriteLineAsync(warning.ToString()).ConfigureAwait(false);
                }
                await output.WriteLineAsync($"configuration version {version}: {description}").ConfigureAwait(false);
                return version;
            }
            catch (ConfigConflictException) when (attempt < maxAttempts)
            {
                // Someone else's change came first: redo this edit on top of it.
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), time, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigConflictException e)
            {
                throw new CliException($"{e.Message}; gave up after {attempt} attempt{(attempt == 1 ? "" : "s")}, nothing changed");
            }
        }
    }

    /// <summary>The findings of <paramref name="after"/> that <paramref name="before"/> did not have (an edit answers only for what it adds).</summary>
    public static IReadOnlyList<Diagnostic> NewFindings(ClusterConfiguration before, ClusterConfiguration after)
    {
        var old = ConfigValidator.Validate(before).Select(Key).ToHashSet();
        return [.. ConfigValidator.Validate(after).Where(d => !old.Contains(Key(d))).OrderByDescending(d => d.Severity)];
    }

    private static (DiagnosticSeverity, string?, string) Key(Diagnostic d) => (d.Severity, d.Code, d.Message);
}
