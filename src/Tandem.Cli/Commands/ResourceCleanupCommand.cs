using System.CommandLine;
using System.Text.Json;
using Tandem.Node.Api;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem resource cleanup [RSC] [--node N]`: forget the failures of a resource (a group or clone: all
/// its members), or of every resource, on one node or on all, as <c>crm_resource --cleanup</c> does
/// (Pacemaker 2.1.5): fail counts and last-failure times are removed and the history of a resource that
/// failed there is forgotten, so the cluster probes it again and may place it there again. A named
/// resource without failures, an unknown resource or an unknown node is an error and nothing changes.
/// </summary>
public static class ResourceCleanupCommand
{
    public static Command Create()
    {
        var resource = new Argument<string?>("resource") { Arity = ArgumentArity.ZeroOrOne, Description = "The resource (primitive, group or clone); all resources when left out" };
        var node = new Option<string?>("--node", "-N") { Description = "Only on this node" };
        var json = CommonOptions.Json();
        var command = new Command("cleanup", "Forget a resource's failures (fail counts, failed operations) so the cluster probes it again") { resource, node, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = new LocalApiClient();
            return await RunAsync(api, parse.GetValue(resource), parse.GetValue(node), parse.GetValue(json), Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(LocalApiClient api, string? resource, string? node, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(output);
        CleanupResponse answer;
        try
        {
            answer = await api.PostAsync<CleanupRequest, CleanupResponse>("v1/cleanup", new CleanupRequest(resource, node), cancellationToken).ConfigureAwait(false);
        }
        catch (LocalApiException e)
        {
            throw new CliException(e.Message);
        }
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(answer, LocalApiJson.Options)).ConfigureAwait(false);
            return 0;
        }
        if (answer.Cleaned.Count == 0)
        {
            var where = node is null ? "" : $" on {node}";
            if (resource is not null)
            {
                // Naming a resource that never failed is a mistake worth an exit code (a typo'd node, the wrong resource).
                throw new CliException($"'{resource}' has no failures{where} to clean up (nothing changed)");
            }
            await output.WriteLineAsync($"No failures{where} to clean up; nothing changed").ConfigureAwait(false);
            return 0;
        }
        foreach (var cleaned in answer.Cleaned)
        {
            // crm_resource's words, one line per resource and node.
            await output.WriteLineAsync($"Cleaned up {cleaned.Resource} on {cleaned.Node}").ConfigureAwait(false);
        }
        return 0;
    }
}
