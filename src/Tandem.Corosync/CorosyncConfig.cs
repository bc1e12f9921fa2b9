using System.Globalization;
using System.Text;

namespace Tandem.Corosync;

/// <summary>A node of corosync's nodelist.</summary>
public sealed record CorosyncNode(uint NodeId, string Name, string Address);

/// <summary>How the cluster decides quorum.</summary>
public enum QuorumMode
{
    /// <summary>Two nodes, each with one vote, quorate alone once both were seen (two_node, wait_for_all).</summary>
    TwoNode,

    /// <summary>A majority of the nodes' votes (three nodes or more).</summary>
    Majority,

    /// <summary>A majority with a quorum device (corosync-qnetd on a third machine) casting the tie-breaking vote.</summary>
    QDevice,
}

/// <summary>
/// corosync.conf as Tandem writes it: knet transport with crypto always on, votequorum, and a timing
/// profile. Rendering is pure; the caller writes the file and the authkey.
/// </summary>
public sealed record CorosyncConfig(string ClusterName, IReadOnlyList<CorosyncNode> Nodes, QuorumMode Quorum)
{
    /// <summary>
    /// Tandem's LAN timing profile: a 500 ms token (corosync's default is 3000 ms), so a lost node is
    /// noticed after about token + consensus (1.2 × token) ≈ 1.1 s instead of 6.6 s, and a hard kill is
    /// recovered within 1.5 s (bench/results/failover.md). Links of a LAN cluster answer in well under a
    /// millisecond and corosync runs with real-time priority; a host that pauses it longer than the token
    /// (a busy virtual machine: corosync logs "main process was not scheduled") re-forms the membership
    /// with the same members, and wants a larger token (`--token-ms`), as does a long-distance link.
    /// </summary>
    public const int LanProfileTokenMs = 500;

    /// <summary>Token timeout in milliseconds.</summary>
    public int TokenMs { get; init; } = LanProfileTokenMs;

    /// <summary>Address of corosync-qnetd when <see cref="Quorum"/> is <see cref="QuorumMode.QDevice"/>.</summary>
    public string? QDeviceHost { get; init; }

    /// <summary>TLS between qdevice and qnetd. Off only in the lab, where qnetd runs in a namespace of the same machine.</summary>
    public bool QDeviceTls { get; init; } = true;

    public string Render()
    {
        Validate();
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append("# Written by Tandem. Crypto is always on: a cluster accepts only nodes that hold its authkey.\n");
        text.Append("totem {\n");
        text.Append("    version: 2\n");
        text.Append(inv, $"    cluster_name: {ClusterName}\n");
        text.Append("    transport: knet\n");
        text.Append("    crypto_cipher: aes256\n");
        text.Append("    crypto_hash: sha256\n");
        text.Append(inv, $"    token: {TokenMs}\n");
        text.Append("}\n\n");
        text.Append("nodelist {\n");
        foreach (var node in Nodes)
        {
            text.Append("    node {\n");
            text.Append(inv, $"        nodeid: {node.NodeId}\n");
            text.Append(inv, $"        name: {node.Name}\n");
            text.Append(inv, $"        ring0_addr: {node.Address}\n");
            text.Append("    }\n");
        }
        text.Append("}\n\n");
        text.Append("quorum {\n");
        text.Append("    provider: corosync_votequorum\n");
        switch (Quorum)
        {
            case QuorumMode.TwoNode:
                text.Append("    two_node: 1\n");
                break;
            case QuorumMode.QDevice:
                text.Append("    device {\n");
                text.Append("        model: net\n");
                text.Append("        votes: 1\n");
                text.Append("        net {\n");
                text.Append(inv, $"            host: {QDeviceHost}\n");
                text.Append("            algorithm: ffsplit\n");
                text.Append(inv, $"            tls: {(QDeviceTls ? "on" : "off")}\n");
                text.Append("        }\n");
                text.Append("    }\n");
                break;
            case QuorumMode.Majority:
                break;
        }
        text.Append("}\n\n");
        text.Append("logging {\n");
        text.Append("    to_stderr: yes\n");
        text.Append("    to_syslog: no\n");
        text.Append("    timestamp: on\n");
        text.Append("}\n");
        return text.ToString();
    }

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterName) || ClusterName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"cluster name '{ClusterName}' must be letters, digits, '-' or '_'");
        }
        if (Nodes.Count == 0)
        {
            throw new ArgumentException("a cluster needs at least one node");
        }
        if (Nodes.Select(n => n.NodeId).Distinct().Count() != Nodes.Count || Nodes.Any(n => n.NodeId == 0))
        {
            throw new ArgumentException("node ids must be unique and non-zero");
        }
        if (Nodes.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count() != Nodes.Count)
        {
            throw new ArgumentException("node names must be unique");
        }
        if (Quorum == QuorumMode.TwoNode && Nodes.Count != 2)
        {
            throw new ArgumentException($"two_node quorum needs exactly two nodes, not {Nodes.Count}");
        }
        if (Quorum == QuorumMode.QDevice && string.IsNullOrWhiteSpace(QDeviceHost))
        {
            throw new ArgumentException("a quorum device needs the address of its qnetd host");
        }
        if (TokenMs <= 0)
        {
            throw new ArgumentException($"token timeout {TokenMs} ms must be positive");
        }
    }
}
