using System.Globalization;
using Tandem.Model.Status;

namespace Tandem.Scheduler.Common;

/// <summary>
/// Pacemaker's readings of text values: booleans, millisecond durations, interval specs and the natural
/// node-name order. Kept exact because the reference outputs depend on the edge cases (for example a
/// timeout of "10x" is invalid and falls back to the default).
/// </summary>
internal static class PcmkText
{
    /// <summary>crm_is_true: true/on/yes/y/1 in any case; anything else (including null) is false.</summary>
    public static bool IsTrue(string? text) => TryParseBool(text, out var value) && value;

    public static bool TryParseBool(string? text, out bool value)
    {
        value = false;
        if (text is null)
        {
            return false;
        }
        switch (text.ToLowerInvariant())
        {
            case "true" or "on" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "off" or "no" or "n" or "0":
                return true;
            default:
                return false;
        }
    }

    /// <summary>crm_get_msec: a number with an optional unit (ms, us, s, m/min, h); -1 when invalid.</summary>
    public static long GetMsec(string? input)
    {
        if (input is null)
        {
            return -1;
        }
        var i = 0;
        while (i < input.Length && IsWhite(input[i]))
        {
            i++;
        }
        var numStart = i;
        while (i < input.Length && (char.IsAsciiDigit(input[i]) || input[i] == '.'))
        {
            i++;
        }
        if (i == numStart)
        {
            return -1;
        }
        var unitStart = i;
        while (unitStart < input.Length && IsWhite(input[unitStart]))
        {
            unitStart++;
        }
        var units = input[unitStart..];
        long multiplier;
        long divisor = 1;
        if (units.StartsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1;
        }
        else if (units.StartsWith("us", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1;
            divisor = 1000;
        }
        else if (units.StartsWith('s') || units.StartsWith('S'))
        {
            multiplier = 1000;
        }
        else if (units.StartsWith('m') || units.StartsWith('M'))
        {
            multiplier = 60 * 1000;
        }
        else if (units.StartsWith('h') || units.StartsWith('H'))
        {
            multiplier = 60 * 60 * 1000;
        }
        else if (units.Length == 0 || units[0] is '\n' or '\r')
        {
            multiplier = 1000;
        }
        else
        {
            return -1;
        }
        var number = StatusXmlReader.ParseLong(input[numStart..]) ?? -1;
        if (number > long.MaxValue / multiplier)
        {
            return long.MaxValue;
        }
        return number * multiplier / divisor;
    }

    private static bool IsWhite(char c) => c is ' ' or '\t' or '\n' or '\r';

    /// <summary>crm_parse_interval_spec: an ISO 8601 duration (P...) or a crm_get_msec value; 0 when invalid.</summary>
    public static uint ParseIntervalMs(string? input)
    {
        if (input is null)
        {
            return 0;
        }
        long msec;
        if (input.StartsWith('P'))
        {
            msec = Iso8601DurationSeconds(input) is { } seconds ? seconds * 1000 : -1;
        }
        else
        {
            msec = GetMsec(input);
        }
        if (msec < 0)
        {
            return 0;
        }
        return msec >= uint.MaxValue ? uint.MaxValue : (uint)msec;
    }

    /// <summary>Seconds in an ISO 8601 duration such as P1DT2H or PT30S (months count 30 days, years 365).</summary>
    public static long? Iso8601DurationSeconds(string text)
    {
        if (!text.StartsWith('P'))
        {
            return null;
        }
        long total = 0;
        var inTime = false;
        var number = new System.Text.StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == 'T')
            {
                inTime = true;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                number.Append(c);
                continue;
            }
            if (number.Length == 0 || !long.TryParse(number.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }
            number.Clear();
            total += (c, inTime) switch
            {
                ('Y', false) => value * 365 * 86400,
                ('M', false) => value * 30 * 86400,
                ('W', false) => value * 7 * 86400,
                ('D', false) => value * 86400,
                ('H', true) => value * 3600,
                ('M', true) => value * 60,
                ('S', true) => value,
                _ => long.MinValue,
            };
            if (total < 0)
            {
                return null;
            }
        }
        return number.Length == 0 ? total : null;
    }

    /// <summary>pcmk__numeric_strcasecmp: case-insensitive, with runs of digits compared as numbers.</summary>
    public static int NumericCompare(string s1, string s2)
    {
        var i = 0;
        var j = 0;
        while (i < s1.Length && j < s2.Length)
        {
            if (char.IsAsciiDigit(s1[i]) && char.IsAsciiDigit(s2[j]))
            {
                var end1 = i;
                while (end1 < s1.Length && char.IsAsciiDigit(s1[end1]))
                {
                    end1++;
                }
                var end2 = j;
                while (end2 < s2.Length && char.IsAsciiDigit(s2[end2]))
                {
                    end2++;
                }
                var num1 = ParseDigits(s1.AsSpan(i, end1 - i));
                var num2 = ParseDigits(s2.AsSpan(j, end2 - j));
                if (num1 != num2)
                {
                    return num1 < num2 ? -1 : 1;
                }
                if (end1 - i != end2 - j)
                {
                    return end1 - i < end2 - j ? -1 : 1;
                }
                i = end1;
                j = end2;
            }
            else
            {
                var c1 = char.ToLowerInvariant(s1[i]);
                var c2 = char.ToLowerInvariant(s2[j]);
                if (c1 != c2)
                {
                    return c1 < c2 ? -1 : 1;
                }
                i++;
                j++;
            }
        }
        if (i >= s1.Length && j < s2.Length)
        {
            return -1;
        }
        return i < s1.Length && j >= s2.Length ? 1 : 0;
    }

    private static decimal ParseDigits(ReadOnlySpan<char> digits)
    {
        decimal value = 0;
        foreach (var c in digits)
        {
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /// <summary>strcmp on the bytes of the strings (ordinal).</summary>
    public static int StrCmp(string a, string b) => Math.Sign(string.CompareOrdinal(a, b));
}
