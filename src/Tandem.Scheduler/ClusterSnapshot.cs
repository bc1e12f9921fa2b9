using Tandem.Model;
using Tandem.Model.Cib;
using Tandem.Model.Status;

namespace Tandem.Scheduler;

/// <summary>
/// Everything the scheduler decides from: the configuration, the status (node membership, operation
/// history, transient attributes, tickets) and the facts that come with them. "Now" is part of the
/// snapshot so that the same snapshot always gives the same plan.
/// </summary>
public sealed record ClusterSnapshot(ClusterConfiguration Configuration, StatusSection Status, DateTimeOffset Now)
{
    public bool HaveQuorum { get; init; }
    /// <summary>The node id of the designated coordinator (the node whose view this is).</summary>
    public string? DcUuid { get; init; }
    /// <summary>The CIB feature set; older sets record fail counts and digests differently.</summary>
    public string? FeatureSet { get; init; }
    /// <summary>Whether the cluster has never had quorum but no-quorum-policy=suicide may still fence (no-quorum-panic).</summary>
    public bool QuorumPanic { get; init; }
    /// <summary>
    /// Planning for a simulation rather than for execution: parameter changes that only touch private
    /// (secure) parameters are then not treated as changes, as crm_simulate does.
    /// </summary>
    public bool Simulation { get; init; }

    /// <summary>
    /// The snapshot a saved CIB describes. "Now" is the CIB's execution-date when it has one, else
    /// <paramref name="now"/>; an explicit <paramref name="overrideNow"/> wins over both.
    /// </summary>
    public static ClusterSnapshot FromCib(CibDocument cib, DateTimeOffset now, DateTimeOffset? overrideNow = null) =>
        new(cib.Configuration, StatusXmlReader.Read(cib.Status), overrideNow ?? cib.Header.ExecutionDate ?? now)
        {
            HaveQuorum = cib.Header.HaveQuorum ?? false,
            DcUuid = cib.Header.DcUuid,
            FeatureSet = cib.Header.CrmFeatureSet,
            QuorumPanic = long.TryParse(cib.Header["no-quorum-panic"], out var panic) && panic != 0,
        };
}
