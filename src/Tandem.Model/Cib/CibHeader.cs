using System.Globalization;
using Tandem.Model.Collections;

namespace Tandem.Model.Cib;

/// <summary>
/// The attributes of the &lt;cib&gt; root: the configuration version (admin_epoch, epoch, num_updates),
/// the schema, and what the writer knew of the cluster (have-quorum, dc-uuid, and in test inputs the
/// execution-date that fixes "now"). Every attribute is kept in <see cref="Attributes"/> as written.
/// </summary>
public sealed record CibHeader(ValueList<KeyValuePair<string, string>> Attributes)
{
    public static readonly CibHeader Empty = new(ValueList<KeyValuePair<string, string>>.Empty);

    public string? this[string name] => Attributes.FirstOrDefault(a => a.Key == name).Value;

    public long AdminEpoch => Long("admin_epoch") ?? 0;

    public long Epoch => Long("epoch") ?? 0;

    public long NumUpdates => Long("num_updates") ?? 0;

    public string? ValidateWith => this["validate-with"];

    /// <summary>Whether the writer's partition had quorum; null when not recorded.</summary>
    public bool? HaveQuorum => Booleans.TryParse(this["have-quorum"], out var value) ? value : null;

    public string? DcUuid => this["dc-uuid"];

    public string? CrmFeatureSet => this["crm_feature_set"];

    /// <summary>The "now" of a saved scheduler input (seconds since the epoch in the CIB).</summary>
    public DateTimeOffset? ExecutionDate =>
        Long("execution-date") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The (admin_epoch, epoch, num_updates) triple that orders configuration versions.</summary>
    public ConfigVersion Version => new(AdminEpoch, Epoch, NumUpdates);

    private long? Long(string name) =>
        long.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
