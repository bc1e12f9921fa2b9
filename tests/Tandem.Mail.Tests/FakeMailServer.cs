using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tandem.Mail.Tests;

/// <summary>What the fake SMTP server does with a message after the final dot.</summary>
public enum FakeDelivery
{
    Store,
    AcceptButDrop,
    StoreTwice,
    Refuse,
    HangUp,
}

/// <summary>
/// An in-process SMTP and IMAP server speaking the wire protocols over loopback, with a mailbox per
/// user, whose answer to each message can be scripted to inject the faults the load client must see.
/// </summary>
public sealed class FakeMailServer : IAsyncDisposable
{
    private readonly TcpListener _smtp = new(IPAddress.Loopback, 0);
    private readonly TcpListener _imap = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _messages;

    public FakeMailServer()
    {
        _smtp.Start();
        _imap.Start();
        _loops.Add(AcceptLoop(_smtp, ServeSmtpAsync));
        _loops.Add(AcceptLoop(_imap, ServeImapAsync));
    }

    public ConcurrentDictionary<string, ConcurrentQueue<string>> Mailboxes { get; } = new(StringComparer.Ordinal);

    /// <summary>Decides per message (0-based count of messages that reached the final dot).</summary>
    public Func<int, FakeDelivery> Delivery { get; set; } = _ => FakeDelivery.Store;

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public MailEndpoint SmtpEndpoint => new("127.0.0.1", ((IPEndPoint)_smtp.LocalEndpoint).Port) { ReplyTimeout = TimeSpan.FromSeconds(10) };
    public MailEndpoint ImapEndpoint => new("127.0.0.1", ((IPEndPoint)_imap.LocalEndpoint).Port) { ReplyTimeout = TimeSpan.FromSeconds(10) };

    private Task AcceptLoop(TcpListener listener, Func<TcpClient, Task> serve) => Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await serve(client);
                    }
                    catch (IOException)
                    {
                    }
                }
            });
        }
    });

    private async Task ServeSmtpAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake ESMTP");
        string? recipient = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', ':')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-fake greets you");
                    await writer.WriteLineAsync("250-PIPELINING");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "MAIL" or "RSET":
                    await writer.WriteLineAsync("250 2.1.0 Ok");
                    break;
                case "RCPT":
                    recipient = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('@', StringComparison.Ordinal)];
                    await writer.WriteLineAsync(Passwords.ContainsKey(recipient) ? "250 2.1.5 Ok" : "550 5.1.1 no such user");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var body = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                        body.Append(data.StartsWith('.') ? data[1..] : data).Append("\r\n");
                    }
                    var n = Interlocked.Increment(ref _messages) - 1;
                    var delivery = Delivery(n);
                    if (delivery == FakeDelivery.HangUp)
                    {
                        Store(recipient!, body.ToString());
                        return;
                    }
                    if (delivery is FakeDelivery.Store or FakeDelivery.StoreTwice)
                    {
                        Store(recipient!, body.ToString());
                    }
                    if (delivery == FakeDelivery.StoreTwice)
                    {
                        Store(recipient!, body.ToString());
                    }
                    await writer.WriteLineAsync(delivery == FakeDelivery.Refuse ? "451 4.3.0 try later" : "250 2.0.0 Ok: queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 unknown command");
                    break;
            }
        }
    }

    private void Store(string user, string message) => Mailboxes.GetOrAdd(user, _ => new ConcurrentQueue<string>()).Enqueue(message);

    private async Task ServeImapAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("* OK [CAPABILITY IMAP4rev1] fake ready");
        string? user = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            var (tag, verb) = (parts[0], parts[1].ToUpperInvariant());
            switch (verb)
            {
                case "LOGIN":
                    var (name, rest) = Unquote(line[(tag.Length + 7)..]);
                    if (Passwords.TryGetValue(name, out var password) && password == Unquote(rest[1..]).Value)
                    {
                        user = name;
                        await writer.WriteLineAsync($"{tag} OK Logged in");
                    }
                    else
                    {
                        await writer.WriteLineAsync($"{tag} NO [AUTHENTICATIONFAILED] Authentication failed.");
                    }
                    break;
                case "EXAMINE":
                    await writer.WriteLineAsync(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)");
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"* {Messages(user).Length} EXISTS"));
                    await writer.WriteLineAsync("* 0 RECENT");
                    await writer.WriteLineAsync($"{tag} OK [READ-ONLY] Examine completed");
                    break;
                case "FETCH":
                    var messages = Messages(user);
                    for (var i = 0; i < messages.Length; i++)
                    {
                        var header = string.Concat(messages[i].Split("\r\n").Where(l => l.StartsWith(MailLoadRunner.IdHeader + ":", StringComparison.Ordinal)).Select(l => l + "\r\n")) + "\r\n";
                        await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"* {i + 1} FETCH (BODY[HEADER.FIELDS ({MailLoadRunner.IdHeader.ToUpperInvariant()})] {{{header.Length}}}\r\n{header})\r\n"));
                    }
                    await writer.WriteLineAsync($"{tag} OK Fetch completed");
                    break;
                case "LOGOUT":
                    await writer.WriteLineAsync("* BYE Logging out");
                    await writer.WriteLineAsync($"{tag} OK Logout completed");
                    return;
                default:
                    await writer.WriteLineAsync($"{tag} BAD unknown command");
                    break;
            }
        }
    }

    /// <summary>Reads one IMAP quoted string from the start of the text; returns it and what follows.</summary>
    private static (string Value, string Remainder) Unquote(string text)
    {
        var value = new StringBuilder();
        var i = 1;
        for (; text[i] != '"'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            value.Append(text[i]);
        }
        return (value.ToString(), text[(i + 1)..]);
    }

    private string[] Messages(string? user) =>
        user is not null && Mailboxes.TryGetValue(user, out var box) ? [.. box] : [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _smtp.Stop();
        _imap.Stop();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
