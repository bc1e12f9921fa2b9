using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>
/// A resource as the scheduler works on it: its configuration (already evaluated into meta and operation
/// definitions), what the status says about it (role, nodes it runs on, failures), and the placement and
/// actions computed for it. Primitives, groups, clones and clone instances are all of this type; the
/// variant-specific parts live in <see cref="Clone"/> and <see cref="Group"/>.
/// </summary>
internal sealed class Resource(string id, ResourceVariant variant, WorkingSet cluster)
{
    public string Id { get; set; } = id;
    public ResourceVariant Variant { get; } = variant;
    public WorkingSet Cluster { get; } = cluster;

    /// <summary>The id this instance has in operation history when it differs (an anonymous clone instance).</summary>
    public string? CloneName
    {
        get;
        set
        {
            field = value;
            if (value is not null)
            {
                Cluster.ResourceNames.Note(this, value);
            }
        }
    }
    /// <summary>The configured id (without any instance number).</summary>
    public string XmlId { get; set; } = id;
    public Resource? Parent { get; set; }
    public List<Resource> Children { get; set; } = [];
    public ResourceDefinition Definition { get; set; } = ResourceDefinition.Empty;

    public ResourceFlags Flags { get; set; }
    public Role Role { get; set; } = Role.Stopped;
    public Role NextRole { get; set; } = Role.Unknown;
    public RecoveryType RecoveryType { get; set; } = RecoveryType.StopStart;
    public bool RestartTypeRestart { get; set; }
    public int Priority { get; set; }
    public int Stickiness { get; set; }
    public int SortIndex { get; set; }
    /// <summary>Failure timeout in seconds (0 = never expire).</summary>
    public int FailureTimeout { get; set; }
    public int MigrationThreshold { get; set; } = Scores.Infinity;
    public long RemoteReconnectMs { get; set; }
    public string? PendingTask { get; set; }
    public NodeDetails? PendingNode { get; set; }
    public bool IsRemoteNode { get; set; }
    public bool ExclusiveDiscover { get; set; }

    public Dictionary<string, string> Meta { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Utilization { get; } = new(StringComparer.Ordinal);

    public NodeTable AllowedNodes { get; set; } = new();
    public NodeTable KnownOn { get; } = new();
    /// <summary>Nodes the resource is active on, in the order history revealed them.</summary>
    public List<Node> RunningOn { get; } = [];
    public Node? AllocatedTo { get; set; }
    public Node? PartialMigrationTarget { get; set; }
    public Node? PartialMigrationSource { get; set; }
    public List<Node> DanglingMigrations { get; } = [];
    public NodeDetails? LockNode { get; set; }
    public long LockTime { get; set; }

    /// <summary>Colocations where this resource is the dependent ("this with"), sorted by primary priority.</summary>
    public List<Colocation> ThisWith { get; set; } = [];
    /// <summary>Colocations where this resource is the primary ("with this"), sorted by dependent priority.</summary>
    public List<Colocation> WithThis { get; set; } = [];
    public List<LocationConstraint> Locations { get; } = [];
    public List<TicketBinding> Tickets { get; } = [];
    /// <summary>Actions in Pacemaker's order (most recently created first).</summary>
    public PrependList<SchedAction> Actions { get; } = new();

    public Resource? Container { get; set; }
    public List<Resource> Fillers { get; } = [];

    public CloneData? Clone { get; set; }
    public GroupData? Group { get; set; }

    public bool Is(ResourceFlags flag) => (Flags & flag) == flag;

    public bool IsAny(ResourceFlags flags) => (Flags & flags) != 0;

    public void Set(ResourceFlags flag) => Flags |= flag;

    public void Clear(ResourceFlags flag) => Flags &= ~flag;

    public bool IsClone => Variant == ResourceVariant.Clone;

    /// <summary>The topmost ancestor (Pacemaker's uber_parent).</summary>
    public Resource Top
    {
        get
        {
            var r = this;
            while (r.Parent is not null && r.Parent.Variant != ResourceVariant.Bundle)
            {
                r = r.Parent;
            }
            return r;
        }
    }

    public bool IsAnonClone => IsClone && !Is(ResourceFlags.Unique);

    public bool IsUniqueClone => IsClone && Is(ResourceFlags.Unique);

    public override string ToString() => Id;
}
