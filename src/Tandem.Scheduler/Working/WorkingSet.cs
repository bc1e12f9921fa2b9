using Tandem.Model.Status;

namespace Tandem.Scheduler.Working;

/// <summary>
/// Everything one scheduling run works on: the cluster settings, the nodes (sorted by name), the
/// resources (sorted by priority), the constraints and the actions created so far. Built from a
/// snapshot, consumed by the placement and action stages, and read by the output stage.
/// </summary>
internal sealed class WorkingSet
{
    public WorkingSet()
    {
        ResourceNames = new ResourceNames(this);
    }

    public ClusterFlags Flags { get; set; }
    public NoQuorumPolicy NoQuorumPolicy { get; set; } = NoQuorumPolicy.Stop;
    public string StonithAction { get; set; } = "reboot";
    public string PlacementStrategy { get; set; } = "default";
    public IReadOnlyDictionary<string, string> Options { get; set; } = new Dictionary<string, string>();
    /// <summary>"Now", in seconds since the epoch; it comes with the snapshot, never from a clock.</summary>
    public long Now { get; set; }
    public int PriorityFencingDelay { get; set; }
    public long ShutdownLockSeconds { get; set; }
    public int NodeHealthRed { get; set; } = -Scores.Infinity;
    public int NodeHealthYellow { get; set; }
    public int NodeHealthGreen { get; set; }
    public string? DcUuid { get; set; }
    public NodeDetails? DcNode { get; set; }
    public StatusSection Status { get; set; } = StatusSection.Empty;
    /// <summary>op_defaults meta attributes in force for a resource's action (task, interval in ms).</summary>
    public Func<Resource, string, uint, IReadOnlyDictionary<string, string>> OpDefaults { get; set; } = (_, _, _) => NoValues;
    /// <summary>The CIB's crm_feature_set (old fail-count attributes have no operation suffix before 3.0.13).</summary>
    public string? FeatureSet { get; set; }

    private static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();

    /// <summary>Creates a resource for history of a resource that is no longer configured.</summary>
    public Func<ResourceHistory, Resource?> CreateOrphan { get; set; } = _ => null;

    /// <summary>Failed recurring operations whose failure expired: their resource must restart (not reload).</summary>
    public IReadOnlySet<OperationRecord> ExpiredFailureOps { get; set; } = new HashSet<OperationRecord>();

    public List<Node> Nodes { get; } = [];
    public List<Resource> Resources { get; } = [];
    /// <summary>The resources by id and history name (pe_find_resource with pcmk_rsc_match_history).</summary>
    public ResourceNames ResourceNames { get; }

    public PrependList<SchedAction> Actions { get; } = new();
    public Dictionary<string, SchedAction> Singletons { get; } = new(StringComparer.Ordinal);
    public int NextActionId { get; set; }

    public PrependList<LocationConstraint> PlacementConstraints { get; } = new();
    public List<Colocation> ColocationConstraints { get; } = [];
    public PrependList<OrderingConstraint> OrderingConstraints { get; } = new();
    public int NextOrderId { get; set; } = 1;

    public Dictionary<string, Ticket> Tickets { get; } = new(StringComparer.Ordinal);
    /// <summary>Tags and templates: id to the resource ids they name.</summary>
    public Dictionary<string, List<string>> Tags { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> TemplateReferences { get; } = new(StringComparer.Ordinal);

    /// <summary>Failed operations worth reporting (history entries, with the node they ran on).</summary>
    public List<FailedOperation> Failed { get; } = [];

    public long RecheckBy { get; set; }
    public int InstanceCount { get; set; }
    public int DisabledResources { get; set; }
    public int BlockedResources { get; set; }

    /// <summary>Where the allocation and promotion scores go when they are requested (crm_simulate -s).</summary>
    public ScoreLog? ScoreLog { get; set; }

    /// <summary>char2score with this cluster's node health colors.</summary>
    public int ParseScore(string? text) => Scores.Parse(text, NodeHealthRed, NodeHealthYellow, NodeHealthGreen);

    public bool Is(ClusterFlags flag) => (Flags & flag) == flag;

    public void Set(ClusterFlags flag) => Flags |= flag;

    public void Clear(ClusterFlags flag) => Flags &= ~flag;

    public Node? FindNode(string uname)
    {
        foreach (var node in Nodes)
        {
            if (string.Equals(node.Uname, uname, StringComparison.OrdinalIgnoreCase))
            {
                return node;
            }
        }
        return null;
    }

    public Node? FindNodeById(string id)
    {
        foreach (var node in Nodes)
        {
            if (string.Equals(node.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>Finds a node by id, then by name (pe_find_node_any).</summary>
    public Node? FindNodeAny(string? id, string? uname)
    {
        Node? match = null;
        if (id is not null)
        {
            match = FindNodeById(id);
        }
        if (match is null && uname is not null)
        {
            match = FindNode(uname);
        }
        return match;
    }

    public void UpdateRecheckTime(long recheck)
    {
        if (recheck > Now && (RecheckBy == 0 || RecheckBy > recheck))
        {
            RecheckBy = recheck;
        }
    }
}
