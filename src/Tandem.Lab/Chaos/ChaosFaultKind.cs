namespace Tandem.Lab.Chaos;

/// <summary>The faults a chaos run injects into the mail scenario (issue 9, Build 3).</summary>
public enum ChaosFaultKind
{
    /// <summary>The operator puts the active node in standby (`tandem node standby`), later online again.</summary>
    Switchover,

    /// <summary>The active node is powered off at once (`lab kill`), later booted again.</summary>
    NodeKill,

    /// <summary>The Postfix master process on the active node is killed with SIGKILL; the cluster must notice and recover.</summary>
    ServiceKill,

    /// <summary>Only the volume's replication link is cut (the cluster still sees both nodes); the Primary writes on alone, then the link heals and resyncs under load.</summary>
    ReplicationCut,

    /// <summary>The active node's network cable is pulled: the quorum device decides, the other side takes over, the cut node is fenced or stops.</summary>
    Split,
}
