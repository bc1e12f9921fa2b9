using System.Globalization;

namespace Tandem.Mail;

/// <summary>An SMTP reply (RFC 5321 section 4.2): a three-digit code and the text of its lines.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public override string ToString() => $"{Code} {string.Join(" / ", Lines)}";

    /// <summary>Reads a possibly multi-line reply ("250-..." lines, then "250 ..." or a bare "250").</summary>
    public static async Task<SmtpReply> ReadAsync(MailConnection connection, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await connection.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new MailProtocolException($"malformed SMTP reply line '{Truncate(line)}'");
            }
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }
        }
    }

    internal static string Truncate(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
