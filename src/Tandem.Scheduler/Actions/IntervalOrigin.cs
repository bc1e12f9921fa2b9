using Tandem.Scheduler.Common;

namespace Tandem.Scheduler.Actions;

/// <summary>The start delay that anchors a recurring operation's schedule to its interval-origin.</summary>
internal static class IntervalOrigin
{
    /// <summary>Milliseconds until the next point of the schedule, or null when the origin is not a date.</summary>
    public static long? StartDelayMs(string origin, uint intervalMs, long now)
    {
        var originSeconds = IsoDateTime.ToEpochSeconds(origin);
        var intervalSeconds = intervalMs / 1000;
        if (originSeconds is null || intervalSeconds == 0)
        {
            return null;
        }
        var result = (now - originSeconds.Value) % intervalSeconds;
        result = (result <= 0 ? 0 : intervalSeconds) - result;
        return result * 1000;
    }
}
