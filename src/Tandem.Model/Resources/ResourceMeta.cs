using System.Collections.Immutable;
using Tandem.Model.Scores;

namespace Tandem.Model.Resources;

/// <summary>
/// Typed reading of resolved meta attributes, with Pacemaker's names (old spellings as fallbacks) and
/// its defaults. A value that does not parse reads as the default, as in Pacemaker; `tandem verify`
/// reports such values.
/// </summary>
public sealed class ResourceMeta(IReadOnlyDictionary<string, string> values)
{
    public const string TargetRoleName = "target-role";
    public const string IsManagedName = "is-managed";
    public const string MaintenanceName = "maintenance";
    public const string StickinessName = "resource-stickiness";
    public const string MigrationThresholdName = "migration-threshold";
    public const string FailureTimeoutName = "failure-timeout";
    public const string PriorityName = "priority";
    public const string MultipleActiveName = "multiple-active";
    public const string AllowMigrateName = "allow-migrate";
    public const string RequiresName = "requires";
    public const string CriticalName = "critical";
    public const string PromotableName = "promotable";
    public const string PromotedMaxName = "promoted-max";
    public const string PromotedNodeMaxName = "promoted-node-max";
    public const string LegacyPromotedMaxName = "master-max";
    public const string LegacyPromotedNodeMaxName = "master-node-max";
    public const string CloneMaxName = "clone-max";
    public const string CloneMinName = "clone-min";
    public const string CloneNodeMaxName = "clone-node-max";
    public const string NotifyName = "notify";
    public const string InterleaveName = "interleave";
    public const string GloballyUniqueName = "globally-unique";
    public const string OrderedName = "ordered";

    public static readonly ResourceMeta Empty = new(ImmutableDictionary<string, string>.Empty);

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? this[string name] => Values.TryGetValue(name, out var value) ? value : null;

    public Role? TargetRole => RoleNames.TryParse(this[TargetRoleName], out var role) ? role : null;

    public bool IsManaged => Bool(IsManagedName) ?? true;

    public bool Maintenance => Bool(MaintenanceName) ?? false;

    public Score? Stickiness => ScoreOf(StickinessName);

    public Score? MigrationThreshold => ScoreOf(MigrationThresholdName);

    public Score Priority => ScoreOf(PriorityName) ?? Score.Zero;

    public bool AllowMigrate => Bool(AllowMigrateName) ?? false;

    public bool Critical => Bool(CriticalName) ?? true;

    public bool Promotable => Bool(PromotableName) ?? false;

    /// <summary>promoted-max, else the old master-max; Pacemaker's default is 1.</summary>
    public int PromotedMax => Int(PromotedMaxName) ?? Int(LegacyPromotedMaxName) ?? 1;

    public int PromotedNodeMax => Int(PromotedNodeMaxName) ?? Int(LegacyPromotedNodeMaxName) ?? 1;

    /// <summary>clone-max; absent means one instance per node that can run it.</summary>
    public int? CloneMax => Int(CloneMaxName);

    public int CloneMin => Int(CloneMinName) ?? 0;

    public int CloneNodeMax => Int(CloneNodeMaxName) ?? 1;

    public bool Notify => Bool(NotifyName) ?? false;

    public bool Interleave => Bool(InterleaveName) ?? false;

    public bool GloballyUnique => Bool(GloballyUniqueName) ?? false;

    public bool Ordered => Bool(OrderedName) ?? false;

    public bool? Bool(string name) => Booleans.TryParse(this[name], out var value) ? value : null;

    public int? Int(string name) => int.TryParse(this[name], out var value) ? value : null;

    public Score? ScoreOf(string name) => Score.TryParse(this[name], out var score, out _) ? score : null;
}
