namespace Tandem.Bus;

/// <summary>
/// Why a member left the view, as the membership layer reports it (corosync's CPG_REASON_*). The
/// coordinator needs the difference: a member that left cleanly stopped its work first; a process that
/// went down may have left work running on a live node; a node that went down must be fenced before
/// its resources are recovered elsewhere.
/// </summary>
public enum LeaveReason
{
    /// <summary>The member left the group on purpose (it disposed its bus).</summary>
    Leave,

    /// <summary>The process ended or lost its connection to the membership service; its node stays a member.</summary>
    ProcessDown,

    /// <summary>The member's node left this partition: crashed, lost its network, or its corosync stopped.</summary>
    NodeDown,
}
