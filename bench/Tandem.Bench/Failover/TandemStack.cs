using System.Text.Json;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Bench.Failover;

/// <summary>Tandem's daemon on each node, driven through the `tandem` CLI inside the nodes as an administrator would.</summary>
public sealed class TandemStack(FailoverLab lab, string tandemPath) : IClusterStack
{
    public string Name => "Tandem";

    public Task PrepareAsync(string node) => Task.CompletedTask;

    public Task StartAsync(string node) => lab.StartServiceAsync(node, "/var/log/tandem/daemon.log", tandemPath, "daemon");

    public async Task ConfigureAsync(string node)
    {
        await FailoverLab.WaitAsync(async () => await StatusAsync(node).ConfigureAwait(false) is { Coordinator: not null, ElectionPending: false } status
                && status.Nodes.All(n => n.Online && n.Daemon),
            TimeSpan.FromSeconds(60), "the cluster formed").ConfigureAwait(false);
        await lab.CheckAsync(node, "sh", "-c", "printf '%s' \"$1\" > /tmp/seed.txt", "sh", SeedScenario.Configuration).ConfigureAwait(false);
        // A configuration change is refused while the members reconcile their copies after a view change.
        await FailoverLab.WaitAsync(async () => (await lab.RunAsync(node, tandemPath, "config", "load", "/tmp/seed.txt").ConfigureAwait(false)).Succeeded,
            TimeSpan.FromSeconds(60), "the seed configuration loaded").ConfigureAwait(false);
    }

    private async Task<StatusResponse?> StatusAsync(string node)
    {
        var result = await lab.RunAsync(node, tandemPath, "status", "--json").ConfigureAwait(false);
        return result.Succeeded ? JsonSerializer.Deserialize<StatusResponse>(result.StandardOutput, LocalApiJson.Options) : null;
    }

    public async Task<string?> SettledAsync(string observer, IReadOnlyList<string> online)
    {
        if (await StatusAsync(observer).ConfigureAwait(false) is not { } status)
        {
            return null;
        }
        var nodesOnline = status.Nodes.Where(n => n.Online && n.Daemon).Select(n => n.Name).Order(StringComparer.Ordinal);
        if (!nodesOnline.SequenceEqual(online.Order(StringComparer.Ordinal)) || status.Coordinator is null || status.Runtime is not { } runtime
            || runtime.FailCounts.Count > 0 || runtime.FailedActions.Count > 0)
        {
            return null;
        }
        var vip = runtime.Placements.FirstOrDefault(p => p.Id == "VIP1");
        var service = runtime.Placements.FirstOrDefault(p => p.Id == "zcs_service");
        return vip is { Nodes: [var v] } && service is { Nodes: [var s] } && v == s ? v : null;
    }

    public Task StandbyAsync(string node, bool on) => lab.CheckAsync(node, tandemPath, "node", on ? "standby" : "online", node);

    public Task CleanupAsync(string node) => lab.CheckAsync(node, tandemPath, "resource", "cleanup", "zcs_service");

    public StackLog Log(string node) => new(lab.LogFile(node, "daemon.log"), StackLog.TandemStamp);
}
