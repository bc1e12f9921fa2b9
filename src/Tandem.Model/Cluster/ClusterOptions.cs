using System.Globalization;
using Tandem.Model.Durations;
using Tandem.Model.Scores;

namespace Tandem.Model.Cluster;

/// <summary>
/// Typed reading of resolved cluster properties with Pacemaker 2.1 defaults. A value that does not
/// parse reads as the default, as in Pacemaker; `tandem verify` reports it.
/// </summary>
public sealed class ClusterOptions(IReadOnlyDictionary<string, string> values)
{
    public const string StonithEnabledName = "stonith-enabled";
    public const string NoQuorumPolicyName = "no-quorum-policy";
    public const string SymmetricClusterName = "symmetric-cluster";
    public const string MaintenanceModeName = "maintenance-mode";
    public const string StopAllResourcesName = "stop-all-resources";
    public const string StartFailureIsFatalName = "start-failure-is-fatal";
    public const string StopOrphanResourcesName = "stop-orphan-resources";
    public const string StopOrphanActionsName = "stop-orphan-actions";
    public const string StonithActionName = "stonith-action";
    public const string StonithTimeoutName = "stonith-timeout";
    public const string StartupFencingName = "startup-fencing";
    public const string ConcurrentFencingName = "concurrent-fencing";
    public const string ClusterRecheckIntervalName = "cluster-recheck-interval";
    public const string PlacementStrategyName = "placement-strategy";
    public const string NodeHealthStrategyName = "node-health-strategy";
    public const string ShutdownLockName = "shutdown-lock";
    public const string PriorityFencingDelayName = "priority-fencing-delay";
    public const string BatchLimitName = "batch-limit";
    public const string ClusterNameName = "cluster-name";
    public const string EnableAclName = "enable-acl";

    /// <summary>Removed from Pacemaker 2.0 as properties (now rsc_defaults), still set by old guides such as the seed's.</summary>
    public const string LegacyDefaultStickinessName = "default-resource-stickiness";
    public const string LegacyResourceStickinessName = "resource-stickiness";
    public const string LegacyMigrationThresholdName = "migration-threshold";

    /// <summary>The id Pacemaker reads before every other cluster_property_set.</summary>
    public const string BootstrapSetId = "cib-bootstrap-options";

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? this[string name] => Values.TryGetValue(name, out var value) ? value : null;

    public bool StonithEnabled => Bool(StonithEnabledName) ?? true;

    public NoQuorumPolicy NoQuorumPolicy => NoQuorumPolicyNames.TryParse(this[NoQuorumPolicyName], out var policy) ? policy : NoQuorumPolicy.Stop;

    public bool SymmetricCluster => Bool(SymmetricClusterName) ?? true;

    public bool MaintenanceMode => Bool(MaintenanceModeName) ?? false;

    public bool StopAllResources => Bool(StopAllResourcesName) ?? false;

    public bool StartFailureIsFatal => Bool(StartFailureIsFatalName) ?? true;

    public bool StopOrphanResources => Bool(StopOrphanResourcesName) ?? true;

    public bool StopOrphanActions => Bool(StopOrphanActionsName) ?? true;

    public bool StartupFencing => Bool(StartupFencingName) ?? true;

    public bool ConcurrentFencing => Bool(ConcurrentFencingName) ?? false;

    public string StonithAction => this[StonithActionName] ?? "reboot";

    public Duration StonithTimeout => DurationOf(StonithTimeoutName) ?? Duration.FromSeconds(60);

    public Duration ClusterRecheckInterval => DurationOf(ClusterRecheckIntervalName) ?? Duration.FromSeconds(15 * 60);

    /// <summary>default, utilization, minimal or balanced.</summary>
    public string PlacementStrategy => this[PlacementStrategyName] ?? "default";

    public string NodeHealthStrategy => this[NodeHealthStrategyName] ?? "none";

    public int BatchLimit => int.TryParse(this[BatchLimitName], NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) ? limit : 0;

    /// <summary>The pre-2.0 default-resource-stickiness property (or the seed's resource-stickiness property).</summary>
    public Score? LegacyDefaultStickiness => ScoreOf(LegacyDefaultStickinessName) ?? ScoreOf(LegacyResourceStickinessName);

    public Score? LegacyMigrationThreshold => ScoreOf(LegacyMigrationThresholdName);

    public bool? Bool(string name) => Booleans.TryParse(this[name], out var value) ? value : null;

    public Score? ScoreOf(string name) => Score.TryParse(this[name], out var score, out _) ? score : null;

    public Duration? DurationOf(string name) => Duration.TryParse(this[name], out var duration, out _) ? duration : null;
}
