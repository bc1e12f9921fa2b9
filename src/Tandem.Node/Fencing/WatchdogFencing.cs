using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;

namespace Tandem.Node.Fencing;

/// <summary>
/// Self-fencing with Pacemaker's stonith-watchdog-timeout semantics, the daemon playing SBD's part: a node
/// that loses quorum must have stopped its resources within half the timeout, or it fences itself; a node
/// told that it is being fenced fences itself at once; and the cluster concludes a node fenced once the
/// whole timeout has passed since it asked, without a device. Off when fencing is disabled or the timeout
/// is not positive (Pacemaker's negative "derive from SBD" values have no SBD to derive from here).
/// </summary>
public static class WatchdogFencing
{
    public const string TimeoutName = "stonith-watchdog-timeout";

    /// <summary>The timeout in force, or null when watchdog self-fencing is off.</summary>
    public static TimeSpan? Timeout(ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.Options;
        return options.StonithEnabled && options.DurationOf(TimeoutName) is { Milliseconds: > 0 } timeout
            ? timeout.ToTimeSpan()
            : null;
    }

    /// <summary>How long a node that lost quorum has to stop its resources before it fences itself.</summary>
    public static TimeSpan? SelfFenceDeadline(ClusterConfiguration configuration) => Timeout(configuration) / 2;

    /// <summary>
    /// The configuration the scheduler sees: with watchdog self-fencing on, fencing is possible without a
    /// device (Pacemaker's have-watchdog, which the cluster sets itself; a user's value is overridden).
    /// </summary>
    public static ClusterConfiguration ForScheduler(ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Timeout(configuration) is null)
        {
            return configuration;
        }
        var sets = configuration.Properties
            .Select(set => set with { Pairs = new ValueList<NvPair>([.. set.Pairs.Where(p => p.Name != "have-watchdog")]) })
            .Append(new AttributeSet("tandem-watchdog", [new NvPair("tandem-watchdog-have-watchdog", "have-watchdog", "true")]));
        return configuration with { Properties = new ValueList<AttributeSet>([.. sets]) };
    }
}
