using System.Globalization;

namespace Tandem.Scheduler.Common;

/// <summary>
/// ISO 8601 date-times as Pacemaker reads them (calendar, ordinal and week dates, an optional time after
/// 'T' or a space, an optional Z or numeric offset). A date-time without an offset is taken as UTC: the
/// scheduler never consults the machine's time zone.
/// </summary>
internal static class IsoDateTime
{
    /// <summary>Seconds since the epoch, or null when the text is not a date-time Pacemaker accepts.</summary>
    public static long? ToEpochSeconds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (text.StartsWith("epoch", StringComparison.OrdinalIgnoreCase)
            && (text.Length == 5 || text[5] == '/' || char.IsWhiteSpace(text[5])))
        {
            return 0;
        }
        var dateEnd = 0;
        while (dateEnd < text.Length && (char.IsAsciiDigit(text[dateEnd]) || text[dateEnd] is '-' or 'W'))
        {
            dateEnd++;
        }
        var datePart = text[..dateEnd];
        DateTime? date = ParseDate(datePart);
        if (date is null)
        {
            return null;
        }
        long seconds = 0;
        long offset = 0;
        if (dateEnd < text.Length && (text[dateEnd] == ' ' || text[dateEnd] == 'T'))
        {
            var timePart = text[(dateEnd + 1)..];
            if (!ParseTime(timePart, out seconds, out offset))
            {
                return null;
            }
        }
        var epoch = new DateTimeOffset(date.Value, TimeSpan.Zero).ToUnixTimeSeconds();
        return epoch + seconds - offset;
    }

    private static DateTime? ParseDate(string text)
    {
        var parts = text.Split('-');
        try
        {
            if (parts.Length == 3 && !parts[1].StartsWith('W'))
            {
                var year = int.Parse(parts[0], CultureInfo.InvariantCulture);
                var month = int.Parse(parts[1], CultureInfo.InvariantCulture);
                var day = int.Parse(parts[2], CultureInfo.InvariantCulture);
                return new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
            }
            if (parts.Length == 1 && text.Length == 8)
            {
                return new DateTime(
                    int.Parse(text[..4], CultureInfo.InvariantCulture),
                    int.Parse(text[4..6], CultureInfo.InvariantCulture),
                    int.Parse(text[6..8], CultureInfo.InvariantCulture), 0, 0, 0, DateTimeKind.Utc);
            }
            if (parts.Length == 2)
            {
                var year = int.Parse(parts[0], CultureInfo.InvariantCulture);
                var dayOfYear = int.Parse(parts[1], CultureInfo.InvariantCulture);
                var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                if (dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
                {
                    return null;
                }
                return start.AddDays(dayOfYear - 1);
            }
            if (parts.Length == 3 && parts[1].StartsWith('W'))
            {
                var year = int.Parse(parts[0], CultureInfo.InvariantCulture);
                var week = int.Parse(parts[1][1..], CultureInfo.InvariantCulture);
                var day = int.Parse(parts[2], CultureInfo.InvariantCulture);
                return ISOWeek.ToDateTime(year, week, (DayOfWeek)(day % 7)).ToUniversalTime();
            }
            if (parts.Length == 1 && text.Length == 4)
            {
                return new DateTime(int.Parse(text, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, DateTimeKind.Utc);
            }
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
        return null;
    }

    private static bool ParseTime(string text, out long seconds, out long offset)
    {
        seconds = 0;
        offset = 0;
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == ':'))
        {
            end++;
        }
        if (!ParseClock(text[..end], out seconds))
        {
            return false;
        }
        var rest = text[end..].Trim();
        if (rest.Length == 0 || rest == "Z")
        {
            return true;
        }
        var negative = rest[0] == '-';
        if (rest[0] is '+' or '-')
        {
            rest = rest[1..];
        }
        if (!ParseClock(rest, out offset))
        {
            return false;
        }
        if (negative)
        {
            offset = -offset;
        }
        return true;
    }

    private static bool ParseClock(string text, out long seconds)
    {
        seconds = 0;
        string[] fields;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            fields = text.Split(':');
        }
        else
        {
            fields = Enumerable.Range(0, (text.Length + 1) / 2).Select(i => text.Substring(i * 2, Math.Min(2, text.Length - (i * 2)))).ToArray();
        }
        if (fields.Length == 0 || fields.Length > 3)
        {
            return false;
        }
        long[] multipliers = [3600, 60, 1];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }
            seconds += value * multipliers[i];
        }
        return true;
    }
}
