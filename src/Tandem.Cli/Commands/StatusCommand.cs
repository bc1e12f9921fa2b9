using System.CommandLine;
using System.Globalization;
using System.Text;
using Tandem.Cli.Output;
using Tandem.Node.Api;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Commands;

/// <summary>`tandem status`: the cluster as this node's daemon sees it.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var watch = new Option<bool>("--watch", "-w") { Description = "Show the status again every two seconds until interrupted, like crm_mon" };
        var command = new Command("status", "The cluster as this node sees it: nodes, quorum, coordinator, links, resources, failures") { json, watch };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(json) && parse.GetValue(watch))
            {
                throw new CliException("--watch and --json cannot be combined: --json prints one snapshot");
            }
            do
            {
                var status = await DaemonCall.RunAsync(api => api.GetStatusAsync(cancellationToken)).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    Json.Write(status);
                    return 0;
                }
                if (parse.GetValue(watch) && !Console.IsOutputRedirected)
                {
                    Console.Clear();
                }
                Console.Write(Render(status));
                if (parse.GetValue(watch))
                {
                    Console.WriteLine($"\n(refreshed {DateTimeOffset.UtcNow:HH:mm:ss} UTC; Ctrl-C ends)");
                }
            }
            while (parse.GetValue(watch) && await WaitAsync(cancellationToken).ConfigureAwait(false));
            return 0;
        });
        return command;
    }

    private static async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static string Render(StatusResponse status)
    {
        var text = new StringBuilder();
        var quorum = status.Quorum;
        text.Append($"Cluster:     {status.ClusterName} (seen from {status.LocalNode.Name})\n");
        text.Append($"Quorum:      {(quorum.Quorate ? "quorate" : "NOT QUORATE")}, {quorum.TotalVotes} of {quorum.ExpectedVotes} votes, {quorum.Quorum} needed");
        text.Append(quorum.Flags.Count > 0 ? $" [{string.Join(' ', quorum.Flags)}]\n" : "\n");
        var coordinator = status.Coordinator?.Name ?? (status.ElectionPending ? "(electing)" : "none (no quorum)");
        text.Append($"Coordinator: {coordinator}\n\n");
        var table = new TextTable("NODE", "ID", "STATE", "DAEMON", "LINK");
        foreach (var node in status.Nodes)
        {
            var links = status.Links.Where(l => l.Peer == node.Name).ToList();
            var link = node.Id == status.LocalNode.Id
                ? "local"
                : links.Count == 0 ? "-" : string.Join(' ', links.Select(l => $"link{l.Link}:{(l.Connected ? "up" : "DOWN")}"));
            table.Add(node.Name, node.Id, node.Online ? "online" : "OFFLINE", node.Daemon ? "running" : "-", link);
        }
        text.Append(table);
        if (status.Runtime is { } runtime)
        {
            RenderRuntime(runtime, text);
        }
        if (status.FencingHistory.Count > 0)
        {
            text.Append("\nFencing History:\n");
            foreach (var fencing in status.FencingHistory)
            {
                text.Append("  * ").Append(fencing.Description).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Resources, failed actions and fail counts in crm_mon's words.</summary>
    private static void RenderRuntime(RuntimeReport runtime, StringBuilder text)
    {
        text.Append('\n');
        foreach (var line in runtime.StatusLines)
        {
            text.Append(line).Append('\n');
        }
        if (runtime.FailCounts.Count > 0)
        {
            text.Append("\nMigration Summary:\n");
            foreach (var node in runtime.FailCounts.GroupBy(f => f.Node))
            {
                text.Append(CultureInfo.InvariantCulture, $"  * Node: {node.Key}:\n");
                foreach (var entry in node)
                {
                    text.Append("    * ").Append(entry.Description).Append('\n');
                }
            }
        }
        if (runtime.FailedActions.Count > 0)
        {
            text.Append("\nFailed Resource Actions:\n");
            foreach (var failed in runtime.FailedActions)
            {
                text.Append("  * ").Append(failed.Description).Append('\n');
            }
        }
    }
}
