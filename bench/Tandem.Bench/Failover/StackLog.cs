using System.Globalization;

namespace Tandem.Bench.Failover;

/// <summary>A stack's log file on a node, read from the host, with the time stamp at the start of each line.</summary>
public sealed class StackLog(string path, Func<string, DateTimeOffset?> stamp)
{
    /// <summary>The first line at or after <paramref name="since"/> that contains every one of <paramref name="needles"/>.</summary>
    public DateTimeOffset? First(DateTimeOffset since, params string[] needles)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (needles.All(n => line.Contains(n, StringComparison.Ordinal)) && stamp(line) is { } at && at >= since)
            {
                return at;
            }
        }
        return null;
    }

    /// <summary>Tandem's daemon: "2026-11-22T08:58:47.767Z info: ..." (UTC, milliseconds).</summary>
    public static DateTimeOffset? TandemStamp(string line) =>
        line.Length >= 24 && DateTimeOffset.TryParseExact(line[..24], "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>Pacemaker's detail log: "Nov 22 08:58:47.767 node daemon [pid] ..." (local time of the node, UTC in the lab; no year).</summary>
    public static DateTimeOffset? PacemakerStamp(string line)
    {
        if (line.Length < 19 || !DateTime.TryParseExact(line[..19], "MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return null;
        }
        var now = DateTime.UtcNow;
        var stamped = new DateTime(now.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, at.Millisecond, DateTimeKind.Utc);
        return new DateTimeOffset(stamped > now.AddDays(1) ? stamped.AddYears(-1) : stamped);
    }
}
