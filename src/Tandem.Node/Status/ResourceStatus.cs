using System.Collections.Immutable;
using Tandem.Model.Status;

namespace Tandem.Node.Status;

/// <summary>
/// A resource's operation history on one node, kept as Pacemaker's controller keeps it: the last one-shot
/// operation (<c>RSC_last_0</c>), the last failure (<c>RSC_last_failure_0</c>) and the last result of each
/// recurring operation (<c>RSC_monitor_10000</c>).
/// </summary>
public sealed record ResourceStatus(string Id, string? Class, string? Provider, string? Type, ImmutableDictionary<string, OperationRecord> History)
{
    public static ResourceStatus Create(string id, string? agentClass, string? provider, string? type) =>
        new(id, agentClass, provider, type, ImmutableDictionary<string, OperationRecord>.Empty.WithComparers(StringComparer.Ordinal));

    private string LastEntry => $"{Id}_last_0";

    private string LastFailureEntry => $"{Id}_last_failure_0";

    /// <summary>
    /// Records a finished (or pending) operation; a finished cancellation forgets the operation it ended.
    /// Notifications are not history (Pacemaker's controller does not record them either): as the last
    /// one-shot operation, one would hide the start or promote that tells the resource's state.
    /// </summary>
    public ResourceStatus Record(OperationRecord record, bool failed)
    {
        if (record.Operation == "notify")
        {
            return this;
        }
        if (record.Operation == "cancel")
        {
            // Its key is the cancelled operation's (RSC_monitor_10000), as Pacemaker's controller erases that entry.
            return record.OpStatus == 0 && record.OperationKey is { } key ? this with { History = History.Remove(key) } : this;
        }
        var history = History;
        var recurring = record.IntervalMs > 0;
        var entry = recurring ? $"{Id}_{record.Operation}_{record.IntervalMs}" : LastEntry;
        history = history.SetItem(entry, record with { Id = entry });
        if (failed)
        {
            history = history.SetItem(LastFailureEntry, record with { Id = LastFailureEntry });
        }
        if (!recurring && !failed && record.Operation == "stop" && record.OpStatus == 0)
        {
            // A stopped resource has no recurring operations left; its last failure stays until a cleanup.
            history = history.RemoveRange(history.Keys.Where(k => k != LastEntry && k != LastFailureEntry));
        }
        return this with { History = history };
    }

    public bool Equals(ResourceStatus? other) =>
        other is not null
        && (Id, Class, Provider, Type) == (other.Id, other.Class, other.Provider, other.Type)
        && ContentEquality.Same(History, other.History);

    public override int GetHashCode() => HashCode.Combine(Id, History.Count);

    public ResourceHistory ToHistory() => new()
    {
        Id = Id,
        Class = Class,
        Provider = Provider,
        Type = Type,
        Operations = [.. History.Values.OrderBy(r => r.CallId ?? -1).ThenBy(r => r.Id, StringComparer.Ordinal)],
    };
}
