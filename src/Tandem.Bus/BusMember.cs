namespace Tandem.Bus;

/// <summary>
/// One process in the cluster's process group: the corosync node id of its machine and its process id
/// there. A daemon that restarts on the same node is a new member (same node id, new pid).
/// </summary>
public readonly record struct BusMember(uint NodeId, uint Pid) : IComparable<BusMember>
{
    public int CompareTo(BusMember other) =>
        NodeId != other.NodeId ? NodeId.CompareTo(other.NodeId) : Pid.CompareTo(other.Pid);

    public override string ToString() => $"{NodeId}/{Pid}";
}
