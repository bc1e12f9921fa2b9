using System.Diagnostics;
using System.Text.Json;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Cli.Lab;

/// <summary>
/// A running lab seen as an administrator sees it: `tandem` run inside its nodes, the status they report,
/// and the floating IP as the client namespace reaches it.
/// </summary>
public sealed class LabCluster(LabController controller, string tandemPath)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    public LabController Controller { get; } = controller;

    /// <summary>Runs `tandem ARGS` inside a node; a failure is a one-line LabException with its message.</summary>
    public async Task<CommandResult> TandemAsync(string node, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await Controller.RunAsync(node, [tandemPath, .. arguments], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"tandem {string.Join(' ', arguments)} on {node}: {result.FirstErrorLine}");
        }
        return result;
    }

    /// <summary>`tandem config load` of a crm-like text, written to a file inside the node first.</summary>
    public async Task LoadConfigurationAsync(string node, string text, CancellationToken cancellationToken)
    {
        const string file = "/tmp/tandem-lab-configuration.txt";
        var write = await Controller.RunAsync(node, ["sh", "-c", "printf '%s' \"$1\" > " + file, "sh", text], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!write.Succeeded)
        {
            throw new LabException($"cannot write {file} on {node}: {write.FirstErrorLine}");
        }
        await TandemAsync(node, ["config", "load", file], cancellationToken).ConfigureAwait(false);
    }

    public async Task<StatusResponse> StatusAsync(string node, CancellationToken cancellationToken)
    {
        var result = await TandemAsync(node, ["status", "--json"], cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<StatusResponse>(result.StandardOutput, LocalApiJson.Options)
            ?? throw new LabException($"empty status from {node}");
    }

    /// <summary>Polls a node's status until the condition holds; the timeout is a liveness bound.</summary>
    public async Task<StatusResponse> WaitAsync(string node, Func<StatusResponse, bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        StatusResponse? last = null;
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                last = await StatusAsync(node, cancellationToken).ConfigureAwait(false);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (LabException) when (stopwatch.Elapsed < timeout)
            {
                // A daemon busy with a membership change may not answer at once.
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        throw new LabException($"{what} did not happen within {timeout.TotalSeconds:0} s (as {node} sees it){(last is null ? "" : "; its status:\n" + string.Join('\n', last.Runtime?.StatusLines ?? []))}");
    }

    /// <summary>The single node every resource of <paramref name="resources"/> runs on, or null when they are not together on one node.</summary>
    public static string? RunningTogether(StatusResponse status, params string[] resources)
    {
        var placements = status.Runtime?.Placements ?? [];
        var nodes = resources
            .Select(id => placements.FirstOrDefault(p => p.Id == id))
            .Select(p => p is { Nodes.Count: 1 } ? p.Nodes[0] : null)
            .Distinct()
            .ToList();
        return nodes is [{ } node] ? node : null;
    }

    /// <summary>The lab node whose eth0 answers for <paramref name="address"/> when the client pings it, or null when nobody answers.</summary>
    public async Task<string?> OwnerSeenByClientAsync(string address, CancellationToken cancellationToken)
    {
        var ping = await Controller.RunClientAsync(["ping", "-c", "1", "-W", "1", address], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (!ping.Succeeded)
        {
            return null;
        }
        var neighbour = await Controller.RunClientAsync(["ip", "neigh", "show", address], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var node in Controller.Load().Nodes.Where(n => n.Powered))
        {
            var mac = await Controller.RunAsync(node.Name, ["cat", "/sys/class/net/eth0/address"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (mac.Succeeded && neighbour.StandardOutput.Contains("lladdr " + mac.StandardOutput.Trim(), StringComparison.Ordinal))
            {
                return node.Name;
            }
        }
        return null;
    }
}
