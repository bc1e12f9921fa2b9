using System.Text;

namespace Tandem.Mail;

/// <summary>
/// A minimal SMTP client (RFC 5321): greeting, EHLO (HELO if refused), MAIL, RCPT, DATA with
/// dot-stuffing, QUIT. One message per session, as a simple mail client sends it.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private readonly MailConnection _connection;

    private SmtpSession(MailConnection connection) => _connection = connection;

    public static async Task<SmtpSession> OpenAsync(MailEndpoint endpoint, string clientName, CancellationToken cancellationToken)
    {
        var connection = await MailConnection.OpenAsync(endpoint.Host, endpoint.Port, endpoint.ConnectTimeout, endpoint.ReplyTimeout, cancellationToken).ConfigureAwait(false);
        var session = new SmtpSession(connection);
        try
        {
            await session.ExpectAsync(null, 220, "greeting", cancellationToken).ConfigureAwait(false);
            var ehlo = await session.CommandAsync($"EHLO {clientName}", cancellationToken).ConfigureAwait(false);
            if (ehlo.Code != 250)
            {
                await session.ExpectAsync($"HELO {clientName}", 250, "HELO", cancellationToken).ConfigureAwait(false);
            }
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends one message; returns the server's reply to the end of DATA (250 means the server took
    /// responsibility for it). Refusals before DATA are returned as the refusing reply.
    /// <paramref name="dataSent"/> is called once the whole message is on the wire.
    /// </summary>
    public async Task<SmtpReply> SendAsync(string from, string to, string message, CancellationToken cancellationToken, Action? dataSent = null)
    {
        var reply = await CommandAsync($"MAIL FROM:<{from}>", cancellationToken).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            return reply;
        }
        reply = await CommandAsync($"RCPT TO:<{to}>", cancellationToken).ConfigureAwait(false);
        if (reply.Code is not (250 or 251))
        {
            await CommandAsync("RSET", cancellationToken).ConfigureAwait(false);
            return reply;
        }
        reply = await CommandAsync("DATA", cancellationToken).ConfigureAwait(false);
        if (reply.Code != 354)
        {
            return reply;
        }
        await _connection.WriteAsync(DotStuff(message) + ".\r\n", cancellationToken).ConfigureAwait(false);
        // From here the server may have the message even if its reply never arrives.
        dataSent?.Invoke();
        return await SmtpReply.ReadAsync(_connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task QuitAsync(CancellationToken cancellationToken) =>
        await CommandAsync("QUIT", cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The message as DATA carries it: CRLF line ends, a final CRLF, and a leading "." doubled on
    /// every line (RFC 5321 section 4.5.2), so no line of the body ends the transfer early.
    /// </summary>
    public static string DotStuff(string message)
    {
        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (lines[i].StartsWith('.'))
            {
                text.Append('.');
            }
            text.Append(lines[i]).Append("\r\n");
        }
        return text.ToString();
    }

    private async Task<SmtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await _connection.WriteAsync(command + "\r\n", cancellationToken).ConfigureAwait(false);
        return await SmtpReply.ReadAsync(_connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExpectAsync(string? command, int code, string what, CancellationToken cancellationToken)
    {
        var reply = command is null
            ? await SmtpReply.ReadAsync(_connection, cancellationToken).ConfigureAwait(false)
            : await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (reply.Code != code)
        {
            throw new MailProtocolException($"SMTP {what}: expected {code}, got {SmtpReply.Truncate(reply.ToString())}");
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
