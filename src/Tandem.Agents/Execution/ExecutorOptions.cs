namespace Tandem.Agents.Execution;

/// <summary>Where agents live and how they are run on this node. Defaults are Debian's paths.</summary>
public sealed record ExecutorOptions
{
    /// <summary>The Pacemaker feature set Tandem answers to: resource-agents picks
    /// <c>crm_attribute --promotion</c> over <c>crm_master</c> from 3.10.0 on.</summary>
    public const string FeatureSet = "3.16.1";

    /// <summary>Installed by build.sh: symlinks named crm_attribute, crm_master, crm_node, ... to the tandem
    /// executable. Put first on the agents' PATH (and in HA_SBIN_DIR) only, never on anyone else's.</summary>
    public const string DefaultHelperDirectory = "/usr/local/lib/tandem/agent-bin";

    public string OcfRoot { get; init; } = "/usr/lib/ocf";

    public string LsbDirectory { get; init; } = "/etc/init.d";

    public string FenceAgentDirectory { get; init; } = "/usr/sbin";

    public string SystemctlPath { get; init; } = "/usr/bin/systemctl";

    /// <summary>The directory of Pacemaker-compatible helper commands; null runs agents without them.</summary>
    public string? HelperDirectory { get; init; } = DefaultHelperDirectory;

    /// <summary>This node's name and id, passed as CRM_meta_on_node and CRM_meta_on_node_uuid.</summary>
    public string NodeName { get; init; } = Environment.MachineName;

    public string? NodeId { get; init; }

    /// <summary>Operations of different resources run concurrently up to this many (Pacemaker's
    /// node-action-limit defaults to twice the cores).</summary>
    public int MaxConcurrentOperations { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Between SIGTERM and SIGKILL to the process group of a timed-out or cancelled agent.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    public Processes.OutputLimits OutputLimits { get; init; } = Processes.OutputLimits.Default;

    /// <summary>The environment agents inherit before the OCF variables are added; null takes the daemon's.</summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }
}
