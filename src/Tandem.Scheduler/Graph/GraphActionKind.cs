namespace Tandem.Scheduler.Graph;

/// <summary>The three kinds of graph actions.</summary>
public enum GraphActionKind
{
    /// <summary>An operation run by an agent on a node (rsc_op).</summary>
    ResourceOperation,
    /// <summary>A milestone with no work (pseudo_event).</summary>
    Pseudo,
    /// <summary>Work done by the cluster itself: fencing, shutdown, clearing fail counts (crm_event).</summary>
    ClusterEvent,
}
