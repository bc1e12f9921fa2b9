using Tandem.Scheduler.Unpack;

namespace Tandem.Scheduler.Graph;

/// <summary>
/// The op-digest an executor records for an operation it ran, computed from the action's attributes as
/// Pacemaker's controller does; the scheduler compares it with the configuration to detect changed
/// parameters (and restarts or reloads the resource when they changed).
/// </summary>
public static class OperationDigest
{
    /// <summary>The digest of a graph action's attributes (parameters and CRM_meta_* names).</summary>
    public static string Of(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            set.TryAdd(name, value);
        }
        Digests.FilterForDigest(set);
        return Digests.Md5Of(set);
    }
}
