using System.CommandLine;
using System.Text;
using Tandem.Cli.Output;
using Tandem.Node.Api;

namespace Tandem.Cli.Commands;

/// <summary>`tandem status`: the cluster as this node's daemon sees it.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("status", "The cluster as this node sees it: nodes, quorum, coordinator, links") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var status = await DaemonCall.RunAsync(api => api.GetStatusAsync(cancellationToken)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Json.Write(status);
            }
            else
            {
                Console.Write(Render(status));
            }
            return 0;
        });
        return command;
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
        return text.ToString();
    }
}
