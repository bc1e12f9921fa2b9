using System.Text.RegularExpressions;
using Tandem.Corosync;

namespace Tandem.Lab;

/// <summary>What `tandem lab up` builds.</summary>
public sealed partial record LabOptions(string Name, IReadOnlyList<string> Nodes, QuorumMode Quorum)
{
    public const string DefaultName = "tandem";

    /// <summary>Token timeout for corosync; null keeps the lab's default profile.</summary>
    public int? TokenMs { get; init; }

    /// <summary>
    /// Machines only, as fresh servers: namespaces, network, private directories and hosts files, but no
    /// cluster configuration and no corosync or daemon running (for `tandem doctor` and `tandem cluster setup`).
    /// </summary>
    public bool Bare { get; init; }

    /// <summary>What the lab runs on top of the cluster: null for nothing, or <see cref="MailScenario.Name"/>.</summary>
    public string? Scenario { get; init; }

    /// <summary>The quorum mode that fits a node count when none is asked for.</summary>
    public static QuorumMode DefaultQuorum(int nodeCount) => nodeCount == 2 ? QuorumMode.TwoNode : QuorumMode.Majority;

    public void Validate()
    {
        ValidateName(Name);
        if (Nodes.Count is < 1 or > 16)
        {
            throw new LabException($"a lab has 1 to 16 nodes, not {Nodes.Count}");
        }
        foreach (var node in Nodes)
        {
            if (!NodeNamePattern().IsMatch(node) || node is "client" or "arbiter" or "sw")
            {
                throw new LabException($"node name '{node}' must be lower-case letters, digits or '-', start with a letter, at most 30 characters, and not client/arbiter/sw");
            }
        }
        if (Nodes.Distinct(StringComparer.Ordinal).Count() != Nodes.Count)
        {
            throw new LabException("node names must be unique");
        }
        if (Quorum == QuorumMode.TwoNode && Nodes.Count != 2)
        {
            throw new LabException($"--quorum two_node needs exactly two nodes, not {Nodes.Count}");
        }
        if (Quorum == QuorumMode.QDevice && Nodes.Count % 2 == 1)
        {
            throw new LabException("--quorum qdevice needs an even number of nodes (the arbiter breaks ties)");
        }
        if (Scenario is not (null or MailScenario.Name))
        {
            throw new LabException($"--scenario '{Scenario}' is not known (known: {MailScenario.Name})");
        }
        if (Scenario == MailScenario.Name && Bare)
        {
            throw new LabException($"--scenario {MailScenario.Name} needs the cluster; it cannot be combined with --bare");
        }
        if (TokenMs is < 200 or > 60_000)
        {
            throw new LabException($"--token-ms {TokenMs} is outside 200..60000");
        }
    }

    public static void ValidateName(string name)
    {
        if (!LabNamePattern().IsMatch(name))
        {
            throw new LabException($"lab name '{name}' must be 1 to 12 lower-case letters or digits, starting with a letter");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex LabNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,29}$")]
    private static partial Regex NodeNamePattern();
}
