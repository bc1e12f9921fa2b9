using System.Globalization;

namespace Tandem.Agents.Metadata;

/// <summary>Durations as agents write them in meta-data: a number with an optional unit (ms, msec, us,
/// usec, s, sec, m, min, h, hr); a bare number is seconds, as in Pacemaker.</summary>
public static class OcfDuration
{
    public static bool TryParseMs(string? text, out long milliseconds)
    {
        milliseconds = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        var split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || (split == 0 && s[split] == '+')))
        {
            split++;
        }
        if (split == 0 || !long.TryParse(s.AsSpan(0, split), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        double factor = s[split..].Trim().ToLowerInvariant() switch
        {
            "" or "s" or "sec" => 1000,
            "ms" or "msec" => 1,
            "us" or "usec" => 0.001,
            "m" or "min" => 60_000,
            "h" or "hr" => 3_600_000,
            _ => double.NaN,
        };
        if (double.IsNaN(factor))
        {
            return false;
        }
        milliseconds = (long)(number * factor);
        return true;
    }
}
