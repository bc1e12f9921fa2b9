using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tandem.Mail;

/// <summary>
/// A minimal IMAP4rev1 client (RFC 3501): LOGIN, SELECT, FETCH of one header field, LOGOUT. Enough to
/// read back which test messages a mailbox holds; literals ({n}) are read by count as the RFC requires.
/// </summary>
public sealed partial class ImapSession : IAsyncDisposable
{
    private readonly MailConnection _connection;
    private int _tag;

    private ImapSession(MailConnection connection) => _connection = connection;

    public static async Task<ImapSession> OpenAsync(MailEndpoint endpoint, CancellationToken cancellationToken)
    {
        var connection = await MailConnection.OpenAsync(endpoint.Host, endpoint.Port, endpoint.ConnectTimeout, endpoint.ReplyTimeout, cancellationToken).ConfigureAwait(false);
        var greeting = await connection.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new MailProtocolException($"IMAP greeting: expected '* OK', got '{SmtpReply.Truncate(greeting)}'");
        }
        return new ImapSession(connection);
    }

    public Task LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        RunAsync($"LOGIN {Quote(user)} {Quote(password)}", "LOGIN", cancellationToken);

    /// <summary>Selects a mailbox read-only; returns its message count.</summary>
    public async Task<int> ExamineAsync(string mailbox, CancellationToken cancellationToken)
    {
        var responses = await RunAsync($"EXAMINE {Quote(mailbox)}", "EXAMINE", cancellationToken).ConfigureAwait(false);
        foreach (var response in responses)
        {
            if (ExistsPattern().Match(response) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        throw new MailProtocolException($"EXAMINE {mailbox}: the server did not say how many messages it holds");
    }

    /// <summary>The value of one header field in every message of the selected mailbox (one entry per message that has it).</summary>
    public async Task<IReadOnlyList<string>> FetchHeaderAsync(string field, int messageCount, CancellationToken cancellationToken)
    {
        if (messageCount == 0)
        {
            return [];
        }
        var responses = await RunAsync($"FETCH 1:* (BODY.PEEK[HEADER.FIELDS ({field})])", "FETCH", cancellationToken).ConfigureAwait(false);
        var values = new List<string>();
        var prefix = field + ":";
        foreach (var response in responses)
        {
            foreach (var line in response.Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    values.Add(trimmed[prefix.Length..].Trim());
                }
            }
        }
        return values;
    }

    public async Task LogoutAsync(CancellationToken cancellationToken) =>
        await RunAsync("LOGOUT", "LOGOUT", cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends a tagged command; returns its untagged responses (each with its literals inlined) once the
    /// tagged OK arrives; NO or BAD is an error.
    /// </summary>
    private async Task<IReadOnlyList<string>> RunAsync(string command, string what, CancellationToken cancellationToken)
    {
        var tag = "t" + (++_tag).ToString(CultureInfo.InvariantCulture);
        await _connection.WriteAsync($"{tag} {command}\r\n", cancellationToken).ConfigureAwait(false);
        var responses = new List<string>();
        while (true)
        {
            var response = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
            if (response.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                var status = response[(tag.Length + 1)..];
                if (status.StartsWith("OK", StringComparison.OrdinalIgnoreCase))
                {
                    return responses;
                }
                throw new MailProtocolException($"IMAP {what}: {SmtpReply.Truncate(status)}");
            }
            responses.Add(response);
        }
    }

    /// <summary>One response: a line, and for every line that ends in a literal marker {n}, the n bytes and the line that follows.</summary>
    private async Task<string> ReadResponseAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var line = await _connection.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            text.Append(line);
            var literal = LiteralPattern().Match(line);
            if (!literal.Success)
            {
                return text.ToString();
            }
            var count = int.Parse(literal.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            text.Append('\n').Append(await _connection.ReadBytesAsync(count, cancellationToken).ConfigureAwait(false));
            line = await _connection.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An IMAP quoted string (RFC 3501 section 4.3): backslash and double quote escaped.</summary>
    public static string Quote(string value)
    {
        if (value.Any(c => c is '\r' or '\n' or '\0' || c > 127))
        {
            throw new ArgumentException("IMAP quoted strings carry 7-bit text without line breaks", nameof(value));
        }
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex(@"^\* (\d+) EXISTS", RegexOptions.IgnoreCase)]
    private static partial Regex ExistsPattern();

    [GeneratedRegex(@"\{(\d+)\}$")]
    private static partial Regex LiteralPattern();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
