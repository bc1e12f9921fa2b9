using System.Net.Sockets;
using System.Text;

namespace Tandem.Mail;

/// <summary>
/// A TCP connection that speaks a line protocol (SMTP, IMAP): CRLF-terminated ASCII lines, plus IMAP's
/// counted literals. Every read and write has a deadline, so a server that hangs becomes an error.
/// </summary>
public sealed class MailConnection : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly TimeSpan _replyTimeout;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private MailConnection(TcpClient client, TimeSpan replyTimeout)
    {
        _client = client;
        _stream = client.GetStream();
        _replyTimeout = replyTimeout;
    }

    public static async Task<MailConnection> OpenAsync(string host, int port, TimeSpan connectTimeout, TimeSpan replyTimeout, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(connectTimeout);
            await client.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new MailProtocolException($"connect to {host}:{port} timed out after {connectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new MailConnection(client, replyTimeout);
    }

    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailProtocolException($"write timed out after {_replyTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Reads one line without its CRLF.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(deadline.Token, cancellationToken).ConfigureAwait(false);
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            line.AddRange(_buffer.AsSpan(_start, stop - _start));
            if (line.Count > MaxLineBytes)
            {
                throw new MailProtocolException($"a reply line is longer than {MaxLineBytes} bytes");
            }
            if (newline >= 0)
            {
                _start = newline + 1;
                if (line.Count > 0 && line[^1] == '\r')
                {
                    line.RemoveAt(line.Count - 1);
                }
                return Encoding.ASCII.GetString([.. line]);
            }
            _start = _end;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (an IMAP literal).</summary>
    public async Task<string> ReadBytesAsync(int count, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var data = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_start == _end)
            {
                await FillAsync(deadline.Token, cancellationToken).ConfigureAwait(false);
            }
            var take = Math.Min(count - have, _end - _start);
            Array.Copy(_buffer, _start, data, have, take);
            _start += take;
            have += take;
        }
        return Encoding.ASCII.GetString(data);
    }

    private async Task FillAsync(CancellationToken deadline, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailProtocolException($"no reply within {_replyTimeout.TotalSeconds:0.#} s");
        }
        if (read == 0)
        {
            throw new MailProtocolException("the server closed the connection");
        }
        _start = 0;
        _end = read;
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_replyTimeout);
        return deadline;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}
