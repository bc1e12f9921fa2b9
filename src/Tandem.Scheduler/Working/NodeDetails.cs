namespace Tandem.Scheduler.Working;

/// <summary>
/// What is known about one node and shared by every weighted copy of it: membership and health, the
/// attributes rules and colocations read, and the resources running on or assigned to it.
/// </summary>
internal sealed class NodeDetails(string id, string uname, NodeType type)
{
    public string Id { get; } = id;
    public string Uname { get; } = uname;
    public NodeType Type { get; } = type;

    public bool Online { get; set; }
    public bool Standby { get; set; }
    public bool StandbyOnFail { get; set; }
    public bool Pending { get; set; }
    public bool Unclean { get; set; }
    public bool Unseen { get; set; }
    public bool Shutdown { get; set; }
    public bool ExpectedUp { get; set; }
    public bool IsDc { get; set; }
    public bool Maintenance { get; set; }
    public bool RemoteMaintenance { get; set; }
    public bool RscDiscoveryEnabled { get; set; } = true;
    public bool RemoteRequiresReset { get; set; }
    public bool RemoteWasFenced { get; set; }
    public bool Unpacked { get; set; }

    public int NumResources { get; set; }
    /// <summary>Sum of the priorities of resources running here (for priority-fencing-delay).</summary>
    public int Priority { get; set; }

    /// <summary>The connection resource of a Pacemaker Remote or guest node.</summary>
    public Resource? RemoteRsc { get; set; }

    public List<Resource> RunningRsc { get; } = [];
    public List<Resource> AllocatedRsc { get; } = [];

    /// <summary>Node attributes (#uname, #id, #kind, #is_dc, configured and transient ones).</summary>
    public Dictionary<string, string> Attrs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Utilization { get; } = new(StringComparer.Ordinal);
    /// <summary>Parameter digests computed for resources' recorded operations on this node, by action key.</summary>
    public Dictionary<string, Unpack.DigestData> DigestCache { get; } = new(StringComparer.Ordinal);

    public string? Attribute(string name) => Attrs.GetValueOrDefault(name);

    public bool IsRemoteOrGuest => Type == NodeType.Remote;

    public bool IsGuest => Type == NodeType.Remote && RemoteRsc?.Container is not null;

    public bool IsRemote => Type == NodeType.Remote && RemoteRsc?.Container is null;

    public override string ToString() => Uname;
}
