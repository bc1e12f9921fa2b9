using Tandem.Scheduler.Common;

namespace Tandem.Scheduler;

/// <summary>Dates as Pacemaker writes them (ISO 8601 calendar, ordinal or week dates, optional time and offset).</summary>
public static class PacemakerDate
{
    /// <summary>Parses a date-time; one without an offset is UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (IsoDateTime.ToEpochSeconds(text) is { } seconds)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        value = default;
        return false;
    }
}
