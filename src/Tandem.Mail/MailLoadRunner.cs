using System.Globalization;
using System.Net.Sockets;

namespace Tandem.Mail;

/// <summary>
/// The mail load client: sends uniquely numbered messages at a steady rate over SMTP, one session per
/// message as simple clients do, records which ones the server accepted, then reads every mailbox over
/// IMAP and reports what was lost or duplicated and when the service was out, as the client saw it.
/// </summary>
public sealed class MailLoadRunner(MailLoadOptions options, TimeProvider time, Action<string>? progress = null)
{
    public const string IdHeader = "X-Tandem-Id";

    private readonly Action<string> _progress = progress ?? (_ => { });

    public async Task<MailReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var attempts = await SendAsync(cancellationToken).ConfigureAwait(false);
        var found = await WaitForDeliveryAsync(attempts, cancellationToken).ConfigureAwait(false);
        return MailReport.Build(attempts, found, time.GetElapsedTime(started).TotalSeconds, startedAt);
    }

    /// <summary>Sends until the count or the duration is reached or the stop file appears; the schedule is fixed, so an outage does not lower the rate afterwards.</summary>
    public async Task<IReadOnlyList<SendAttempt>> SendAsync(CancellationToken cancellationToken)
    {
        var attempts = new List<SendAttempt>();
        var started = time.GetTimestamp();
        var interval = TimeSpan.FromSeconds(1 / options.RatePerSecond);
        for (var sequence = 0; options.Count is not { } count || sequence < count; sequence++)
        {
            var due = interval * sequence;
            if ((options.Duration is { } duration && due >= duration) || (options.StopFile is { } stop && File.Exists(stop)))
            {
                break;
            }
            var wait = due - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            var attempt = await SendOneAsync(sequence, started, cancellationToken).ConfigureAwait(false);
            attempts.Add(attempt);
            if (attempt.Outcome != SendOutcome.Accepted)
            {
                _progress($"{attempt.Id}: {attempt.Outcome} ({attempt.Detail})");
            }
        }
        return attempts;
    }

    public string MessageId(int sequence) => $"{options.RunId}-{sequence.ToString("D6", CultureInfo.InvariantCulture)}";

    private async Task<SendAttempt> SendOneAsync(int sequence, long runStarted, CancellationToken cancellationToken)
    {
        var id = MessageId(sequence);
        var user = options.Users[sequence % options.Users.Count];
        var to = $"{user.Name}@{options.Domain}";
        var start = time.GetElapsedTime(runStarted).TotalSeconds;
        var dataSent = false;
        SendAttempt Finish(SendOutcome outcome, string? detail) => new(id, to, start, time.GetElapsedTime(runStarted).TotalSeconds, outcome, detail);
        try
        {
            await using var session = await SmtpSession.OpenAsync(options.Smtp, "client.lab", cancellationToken).ConfigureAwait(false);
            var reply = await session.SendAsync($"load@{options.Domain}", to, Message(id, to), cancellationToken, () => dataSent = true).ConfigureAwait(false);
            if (reply.Code != 250)
            {
                return Finish(SendOutcome.Refused, reply.ToString());
            }
            var accepted = Finish(SendOutcome.Accepted, null);
            try
            {
                await session.QuitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MailProtocolException or IOException or SocketException)
            {
                // The message was accepted; a lost QUIT changes nothing.
            }
            return accepted;
        }
        catch (Exception e) when (e is MailProtocolException or IOException or SocketException)
        {
            return Finish(dataSent ? SendOutcome.Uncertain : SendOutcome.Failed, e.Message);
        }
    }

    private string Message(string id, string to)
    {
        var date = time.GetUtcNow().ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return $"""
            From: load@{options.Domain}
            To: {to}
            Date: {date}
            Message-ID: <{id}@{options.Domain}>
            Subject: tandem mail load {id}
            {IdHeader}: {id}

            Message {id} of the Tandem mail load client.
            .A line that starts with a dot.

            """;
    }

    /// <summary>Reads the mailboxes until every accepted message is there or the settle timeout passes (delivery is asynchronous).</summary>
    public async Task<IReadOnlyList<string>> WaitForDeliveryAsync(IReadOnlyList<SendAttempt> attempts, CancellationToken cancellationToken)
    {
        var accepted = attempts.Where(a => a.Outcome == SendOutcome.Accepted).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var started = time.GetTimestamp();
        IReadOnlyList<string> found = [];
        while (true)
        {
            try
            {
                found = await ReadMailboxesAsync(cancellationToken).ConfigureAwait(false);
                var missing = accepted.Except(found, StringComparer.Ordinal).Count();
                if (missing == 0)
                {
                    return found;
                }
                _progress($"{missing} accepted messages not in their mailbox yet");
            }
            catch (Exception e) when (e is MailProtocolException or IOException or SocketException)
            {
                _progress($"reading mailboxes: {e.Message}");
            }
            if (time.GetElapsedTime(started) > options.SettleTimeout)
            {
                return found;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every id of this run in every user's INBOX, once per copy.</summary>
    public async Task<IReadOnlyList<string>> ReadMailboxesAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var prefix = options.RunId + "-";
        foreach (var user in options.Users)
        {
            await using var session = await ImapSession.OpenAsync(options.Imap, cancellationToken).ConfigureAwait(false);
            await session.LoginAsync(user.Name, user.Password, cancellationToken).ConfigureAwait(false);
            var count = await session.ExamineAsync("INBOX", cancellationToken).ConfigureAwait(false);
            var values = await session.FetchHeaderAsync(IdHeader, count, cancellationToken).ConfigureAwait(false);
            ids.AddRange(values.Where(v => v.StartsWith(prefix, StringComparison.Ordinal)));
            await session.LogoutAsync(cancellationToken).ConfigureAwait(false);
        }
        return ids;
    }
}
