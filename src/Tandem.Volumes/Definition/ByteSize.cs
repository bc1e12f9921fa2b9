namespace Tandem.Volumes.Definition;

/// <summary>Sizes and rates as people write them: <c>1G</c>, <c>512MiB</c>, <c>100M</c>, <c>4096</c> (bytes); powers of 1024.</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        if (i == 0 || !long.TryParse(s.AsSpan(0, i), out var number))
        {
            return false;
        }
        var unit = s[i..].Trim().ToUpperInvariant();
        if (unit.EndsWith("/S", StringComparison.Ordinal))
        {
            unit = unit[..^2];
        }
        int shift = unit switch
        {
            "" or "B" => 0,
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            "T" or "TB" or "TIB" => 40,
            _ => -1,
        };
        if (shift < 0 || number > (long.MaxValue >> shift))
        {
            return false;
        }
        bytes = number << shift;
        return true;
    }

    /// <summary>A short human form: 1 GiB, 10.5 MiB, 512 B.</summary>
    public static string Format(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var u = 0;
        while (Math.Abs(bytes) >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? $"{bytes:0} B" : $"{bytes:0.#} {units[u]}";
    }
}
