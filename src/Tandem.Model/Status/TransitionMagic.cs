using System.Globalization;

namespace Tandem.Model.Status;

/// <summary>
/// The result stamp of an operation (<c>op-status:rc;transition-key</c>), used to age pending operations
/// against completed ones when call ids cannot.
/// </summary>
public sealed record TransitionMagic(int OpStatus, int RcCode, TransitionKey Key)
{
    public static TransitionMagic? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0)
        {
            return null;
        }
        var codes = text[..semicolon].Split(':');
        var key = TransitionKey.TryParse(text[(semicolon + 1)..]);
        if (codes.Length != 2 || key is null
            || !int.TryParse(codes[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var opStatus)
            || !int.TryParse(codes[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rc))
        {
            return null;
        }
        return new TransitionMagic(opStatus, rc, key);
    }
}
