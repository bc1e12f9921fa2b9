using System.CommandLine;
using Tandem.Cli.Configuration;
using Tandem.Model.Durations;
using Tandem.Model.Editing;
using Tandem.Model.Resources;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem resource restart RSC [--timeout D]`, as crm_resource --restart: stop the resource through the
/// cluster (target-role=Stopped), wait until it is stopped everywhere, give it back its own target-role,
/// and wait until it is active again on as many nodes as before. Its target-role is restored even when
/// the stop does not finish in time, so a restart never leaves a resource disabled behind the user's back.
/// </summary>
public static class ResourceRestartCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(ConfigContext? context)
    {
        var id = new Argument<string>("id") { Description = "The resource (primitive, group or clone)" };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the stop, and then for the start (default 2min)", DefaultValueFactory = _ => "2min" };
        var command = new Command("restart", "Stop a resource through the cluster and start it again where the cluster places it") { id, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(timeout)!;
            if (!Duration.TryParse(text, out var limit, out var error) || limit <= Duration.Zero)
            {
                throw new CliException($"invalid --timeout '{text}' ({(error.Length > 0 ? error : "it must be longer than 0")})");
            }
            await RunAsync(context ?? ConfigContext.Live(), parse.GetValue(id)!, limit, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    public static async Task RunAsync(ConfigContext context, string id, Duration timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configuration = await context.ReadAsync(cancellationToken).ConfigureAwait(false);
        var resource = configuration.FindResource(id) ?? throw new CliException($"unknown resource '{id}' (nothing changed)");
        if (ResourceEdits.SelfAndContainers(configuration, id).FirstOrDefault(r => !r.UnconditionalMeta.IsManaged) is { } unmanaged)
        {
            throw new CliException($"'{unmanaged.Id}' is unmanaged (is-managed=false): the cluster would neither stop nor start '{id}' (nothing changed)");
        }
        var activeBefore = await ActiveOnAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (activeBefore.Count == 0)
        {
            throw new CliException($"'{id}' is not active on any node: nothing to restart (nothing changed)");
        }
        var ownRole = resource.UnconditionalMeta[ResourceMeta.TargetRoleName];
        await context.Output.WriteLineAsync($"stopping '{id}' (active on {string.Join(", ", activeBefore)})").ConfigureAwait(false);
        await context.ChangeAsync($"resource restart {id}: stop", (c, _) => ResourceEdits.SetMeta(c, id, ResourceMeta.TargetRoleName, "Stopped"), cancellationToken).ConfigureAwait(false);
        var stopped = await WaitAsync(context, id, active => active.Count == 0, timeout, cancellationToken).ConfigureAwait(false);
        await context.ChangeAsync($"resource restart {id}: start", (c, _) => ResourceEdits.SetMeta(c, id, ResourceMeta.TargetRoleName, ownRole), cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            throw new CliException($"'{id}' was still active on {string.Join(", ", stopped)} after {timeout}; its target-role is restored, see 'tandem status'");
        }
        var started = await WaitAsync(context, id, active => active.Count >= activeBefore.Count, timeout, cancellationToken).ConfigureAwait(false);
        if (started.Count < activeBefore.Count)
        {
            throw new CliException($"'{id}' stopped, but is active on {(started.Count == 0 ? "no node" : string.Join(", ", started))} after {timeout} (it was on {string.Join(", ", activeBefore)}); see 'tandem status'");
        }
        await context.Output.WriteLineAsync($"'{id}' restarted, active on {string.Join(", ", started)}").ConfigureAwait(false);
    }

    /// <summary>Polls the cluster's status until <paramref name="done"/> holds or the time is up; returns the last nodes seen.</summary>
    private static async Task<IReadOnlyList<string>> WaitAsync(ConfigContext context, string id, Func<IReadOnlyList<string>, bool> done, Duration timeout, CancellationToken cancellationToken)
    {
        var polls = Math.Max(1, (int)Math.Ceiling(timeout.ToTimeSpan() / PollInterval));
        var active = await ActiveOnAsync(context, id, cancellationToken).ConfigureAwait(false);
        for (var poll = 0; poll < polls && !done(active); poll++)
        {
            await Task.Delay(PollInterval, context.Time, cancellationToken).ConfigureAwait(false);
            active = await ActiveOnAsync(context, id, cancellationToken).ConfigureAwait(false);
        }
        return active;
    }

    private static async Task<IReadOnlyList<string>> ActiveOnAsync(ConfigContext context, string id, CancellationToken cancellationToken)
    {
        var target = context.Target();
        var nodes = await target.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var configuration = (await target.LoadAsync(cancellationToken).ConfigureAwait(false)).Configuration;
        return ActiveResources.NodesOf(configuration, nodes.Placements, id, anyRole: true);
    }
}
