using System.Globalization;
using Tandem.Node.Api;

namespace Tandem.Node.Fencing;

/// <summary>
/// The fence results this daemon has seen multicast since it started (every member sees every result),
/// newest first and bounded, for `tandem status` as crm_mon's "Fencing History". A daemon started after a
/// fencing does not learn it: the history is what this node witnessed, as its log is.
/// </summary>
public sealed class FencingHistory
{
    public const int MaxEntries = 20;

    private readonly LinkedList<FenceEvent> _entries = new();

    public void Record(FenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _entries.AddFirst(new FenceEvent(result.Target, result.Action, result.Succeeded, result.Method, result.Executor, result.Reason, result.At, Describe(result)));
        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveLast();
        }
    }

    public IReadOnlyList<FenceEvent> Entries => [.. _entries];

    private static string Describe(FenceResult result)
    {
        var at = result.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return result.Succeeded
            ? $"{result.Action} of {result.Target} successful: delegate={result.Executor}, by {result.Method}, completed='{at}'"
            : $"{result.Action} of {result.Target} failed: delegate={result.Executor}, last-failed='{at}'{(result.Reason is null ? "" : $": {result.Reason}")}";
    }
}
