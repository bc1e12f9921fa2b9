using Tandem.Scheduler.Output;

namespace Tandem.Node.Api;

/// <summary>A node by id and name.</summary>
public sealed record NodeRef(uint Id, string Name);

/// <summary>A configured node: online when corosync counts it a member, daemon when its Tandem daemon is in the group.</summary>
public sealed record NodeStatus(uint Id, string Name, bool Online, bool Daemon);

/// <summary>Quorum as votequorum reports it, the partition's ring sequence, and when this daemon applied the latest membership change.</summary>
public sealed record QuorumStatus(bool Quorate, uint ExpectedVotes, uint TotalVotes, uint Quorum, IReadOnlyList<string> Flags, ulong RingSeq, DateTimeOffset? ChangedAt);

/// <summary>A corosync (knet) link from this node to a peer.</summary>
public sealed record LinkStatus(string Peer, int Link, bool Connected);

/// <summary>A fencing this node saw, and <c>Description</c>, its line under "Fencing History".</summary>
public sealed record FenceEvent(string Target, string Action, bool Succeeded, string Method, string Executor, string? Reason, DateTimeOffset At, string Description);

/// <summary>The daemon answering.</summary>
public sealed record DaemonInfo(int Pid, string Version, DateTimeOffset StartedAt);

/// <summary>
/// GET /v1/status: the cluster as this node's daemon sees it; <c>Totem</c> holds corosync's timing in force,
/// <c>Runtime</c> the resources' state from the replicated status as crm_mon shows it, <c>FencingHistory</c>
/// the fencings this daemon witnessed.
/// </summary>
public sealed record StatusResponse(
    string ClusterName,
    NodeRef LocalNode,
    IReadOnlyList<NodeStatus> Nodes,
    QuorumStatus Quorum,
    NodeRef? Coordinator,
    bool ElectionPending,
    IReadOnlyList<LinkStatus> Links,
    DaemonInfo Daemon,
    IReadOnlyDictionary<string, string> Totem)
{
    public RuntimeReport? Runtime { get; init; }

    /// <summary>The fencings this node's daemon saw since it started, newest first.</summary>
    public IReadOnlyList<FenceEvent> FencingHistory { get; init; } = [];
}

/// <summary>The body of every error answer of the local API.</summary>
public sealed record ApiError(string Error);
