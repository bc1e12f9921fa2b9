using System.Globalization;
using System.Text.Json.Serialization;
using Tandem.Model.Json;

namespace Tandem.Model.Durations;

/// <summary>
/// A non-negative length of time in milliseconds, written as Pacemaker writes intervals and timeouts:
/// a bare number of seconds ("360"), a number with a unit ("500ms", "30s", "2min", "1h"), or an ISO 8601
/// duration ("PT30S", "P1D"). Printed in the largest unit that represents it exactly.
/// </summary>
[JsonConverter(typeof(DurationJsonConverter))]
public readonly record struct Duration : IComparable<Duration>
{
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    public static readonly Duration Zero = new(0);

    public long Milliseconds { get; }

    public Duration(long milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        Milliseconds = milliseconds;
    }

    public static Duration FromSeconds(long seconds) => new(checked(seconds * Second));

    public TimeSpan ToTimeSpan() => TimeSpan.FromMilliseconds(Milliseconds);

    public int CompareTo(Duration other) => Milliseconds.CompareTo(other.Milliseconds);

    public static bool operator <(Duration a, Duration b) => a.Milliseconds < b.Milliseconds;

    public static bool operator >(Duration a, Duration b) => a.Milliseconds > b.Milliseconds;

    public static bool operator <=(Duration a, Duration b) => a.Milliseconds <= b.Milliseconds;

    public static bool operator >=(Duration a, Duration b) => a.Milliseconds >= b.Milliseconds;

    public static Duration Parse(string? text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    public static bool TryParse(string? text, out Duration duration, out string error)
    {
        duration = Zero;
        error = "";
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "empty duration (expected e.g. 30s, 2min, 500ms, 1h, 360 or PT30S)";
            return false;
        }
        long? ms = trimmed[0] == 'P' ? ParseIso8601(trimmed) : ParseWithUnit(trimmed);
        if (ms is null)
        {
            error = $"invalid duration '{text}' (expected e.g. 30s, 2min, 500ms, 1h, 360 or PT30S)";
            return false;
        }
        duration = new Duration(ms.Value);
        return true;
    }

    private static long? ParseWithUnit(string text)
    {
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }
        // Twelve digits keep every multiplication below within a long.
        if (digits == 0 || digits > 12)
        {
            return null;
        }
        var number = long.Parse(text.AsSpan(0, digits), CultureInfo.InvariantCulture);
        var unit = text[digits..].Trim().ToLowerInvariant();
        return unit switch
        {
            "" or "s" or "sec" => number * Second,
            "ms" or "msec" => number,
            "us" or "usec" => number / 1000,
            "m" or "min" => number * Minute,
            "h" or "hr" => number * Hour,
            _ => null,
        };
    }

    // ISO 8601 as Pacemaker reads it: P[nY][nM][nW][nD][T[nH][nM][nS]], with years of 365 days and
    // months of 30 days (a duration has no calendar to anchor them). Like Pacemaker, the T is only
    // needed to tell minutes from months: "P10S" is ten seconds.
    private static long? ParseIso8601(string text)
    {
        long total = 0;
        var inTime = false;
        var sawAmount = false;
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == 'T' && !inTime)
            {
                inTime = true;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || i - start > 9 || i == text.Length)
            {
                return null;
            }
            var amount = long.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            long? unit = text[i] switch
            {
                'Y' => 365 * Day,
                'M' => inTime ? Minute : 30 * Day,
                'W' => 7 * Day,
                'D' => Day,
                'H' => Hour,
                'S' => Second,
                _ => null,
            };
            if (unit is null)
            {
                return null;
            }
            total += amount * unit.Value;
            sawAmount = true;
            i++;
        }
        return sawAmount ? total : null;
    }

    /// <summary>The shortest exact spelling: "0", "500ms", "30s", "2min", "1h".</summary>
    public override string ToString()
    {
        var ms = Milliseconds;
        if (ms == 0)
        {
            return "0";
        }
        if (ms % Hour == 0)
        {
            return $"{ms / Hour}h";
        }
        if (ms % Minute == 0)
        {
            return $"{ms / Minute}min";
        }
        return ms % Second == 0 ? $"{ms / Second}s" : $"{ms}ms";
    }
}
