namespace Tandem.Corosync;

/// <summary>
/// Capped exponential backoff between attempts to reach corosync: quick at first (a restart takes about a
/// second), never more than <see cref="Max"/> apart, so a node rejoins soon after its corosync is back.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max)
{
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _initial = initial;
    private TimeSpan _next = initial;

    public ReconnectBackoff()
        : this(DefaultInitial, DefaultMax)
    {
    }

    public TimeSpan Max { get; } = max;

    /// <summary>The delay before the next attempt; each call doubles the following one, up to the cap.</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return delay;
    }

    /// <summary>After a success: the next failure starts again from the initial delay.</summary>
    public void Reset() => _next = _initial;
}
