using System.Net;
using System.Text.RegularExpressions;
using Tandem.Corosync;

namespace Tandem.Deployment.Cluster;

/// <summary>
/// What `tandem cluster setup` decides from its arguments, before touching anything: the nodes with ids,
/// the quorum mode chosen for their number, and the reason for it in words.
/// </summary>
public static partial class ClusterPlan
{
    /// <summary>Validates the arguments and chooses the quorum mode; a one-line error names the problem.</summary>
    public static (ClusterSpec Spec, string Explanation) Make(string name, IReadOnlyList<string> nodeArguments, string firstNode, string? qdeviceHost, int? tokenMs)
    {
        if (!ClusterNamePattern().IsMatch(name))
        {
            throw new DeploymentException($"cluster name '{name}' must be 1 to 32 letters, digits, '-' or '_'");
        }
        var nodes = new List<ClusterNode>();
        foreach (var argument in nodeArguments)
        {
            var parts = argument.Split('=', 2);
            if (parts.Length != 2 || !NodeNamePattern().IsMatch(parts[0]))
            {
                throw new DeploymentException($"--node '{argument}': expected NAME=ADDRESS with a host name such as astapor=172.17.18.191");
            }
            if (!IPAddress.TryParse(parts[1], out var address) || IPAddress.IsLoopback(address))
            {
                throw new DeploymentException($"--node '{argument}': '{parts[1]}' is not an IP address a peer can reach (loopback is not)");
            }
            nodes.Add(new ClusterNode(parts[0], (uint)(nodes.Count + 1), address.ToString()));
        }
        if (nodes.Count < 2)
        {
            throw new DeploymentException($"a cluster needs at least two nodes (--node NAME=ADDRESS for each), not {nodes.Count}");
        }
        if (nodes.Count > 32)
        {
            throw new DeploymentException($"at most 32 nodes, not {nodes.Count}");
        }
        if (nodes.GroupBy(n => n.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DeploymentException($"node '{twice.Key}' is named twice");
        }
        if (nodes.GroupBy(n => n.Address).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new DeploymentException($"address {shared.Key} is given to two nodes ({string.Join(", ", shared.Select(n => n.Name))})");
        }
        if (tokenMs is < 200 or > 60_000)
        {
            throw new DeploymentException($"--token-ms {tokenMs} is outside 200..60000");
        }
        if (!nodes.Any(n => n.Name == firstNode))
        {
            throw new DeploymentException($"this machine is '{firstNode}', which is none of the nodes ({string.Join(", ", nodes.Select(n => n.Name))}): run setup on one of them");
        }
        var (quorum, explanation) = ChooseQuorum(nodes.Count, qdeviceHost);
        var spec = new ClusterSpec
        {
            Name = name,
            Nodes = nodes,
            Quorum = quorum,
            QDeviceHost = qdeviceHost,
            TokenMs = tokenMs ?? CorosyncConfig.LanProfileTokenMs,
            FirstNode = firstNode,
        };
        // Rendering validates what corosync would refuse, before anything is written.
        try
        {
            spec.ToCorosync().Render();
        }
        catch (ArgumentException e)
        {
            throw new DeploymentException(e.Message);
        }
        return (spec, explanation);
    }

    /// <summary>
    /// Two nodes without a tie-breaker: two_node (quorate alone once both were seen). A quorum device for an
    /// even number of nodes when given. Three or more: a plain majority, which needs no special case.
    /// </summary>
    public static (QuorumMode Mode, string Explanation) ChooseQuorum(int nodeCount, string? qdeviceHost)
    {
        if (qdeviceHost is not null)
        {
            if (nodeCount % 2 == 1)
            {
                throw new DeploymentException($"--qdevice breaks ties between halves of an even number of nodes; with {nodeCount} nodes a majority already decides (leave --qdevice out)");
            }
            return (QuorumMode.QDevice, $"quorum: qdevice — corosync-qnetd on {qdeviceHost} gives its vote to one side of a split, so exactly one side stays quorate (install corosync-qnetd there)");
        }
        if (nodeCount == 2)
        {
            return (QuorumMode.TwoNode, "quorum: two_node — each node stays quorate alone once both have been seen (wait_for_all); a network split leaves both sides quorate, so only fencing keeps them from both running the service: configure a fence device, or add --qdevice HOST to let a third machine break ties");
        }
        return (QuorumMode.Majority, $"quorum: majority — a partition with at least {nodeCount / 2 + 1} of the {nodeCount} nodes is quorate; a minority stops its resources");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$")]
    private static partial Regex NodeNamePattern();
}
