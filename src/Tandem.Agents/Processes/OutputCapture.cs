using System.Text;

namespace Tandem.Agents.Processes;

/// <summary>
/// Collects one output stream within fixed memory: the first bytes up to the head limit, then a ring of the
/// last bytes up to the tail limit. It also scans every line that passes through, kept or not, for
/// <c>ocf-exit-reason:</c>, keeping the last reason as Pacemaker does (at most 128 characters).
/// Not thread-safe: one reader feeds it.
/// </summary>
public sealed class OutputCapture
{
    public const string ExitReasonPrefix = "ocf-exit-reason:";
    public const int ExitReasonMaxChars = 128;

    // A line longer than this cannot hold a useful reason; only its first part is scanned.
    private const int LineScanBytes = 4096;

    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private long _tailWritten;
    private long _total;
    private readonly byte[] _line = new byte[LineScanBytes];
    private int _lineLength;
    private bool _lineOverflowed;
    private string? _exitReason;

    public OutputCapture(OutputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.HeadBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.TailBytes);
        _head = new byte[limits.HeadBytes];
        _tail = new byte[limits.TailBytes];
    }

    public long TotalBytes => _total;

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        ScanLines(data);
        var toHead = Math.Min(_head.Length - _headLength, data.Length);
        data[..toHead].CopyTo(_head.AsSpan(_headLength));
        _headLength += toHead;
        data = data[toHead..];
        if (_tail.Length == 0 || data.IsEmpty)
        {
            return;
        }
        if (data.Length > _tail.Length)
        {
            data = data[^_tail.Length..];
        }
        // Ring buffer: position is the number of bytes ever written to the tail, modulo its size.
        var position = (int)(_tailWritten % _tail.Length);
        var first = Math.Min(_tail.Length - position, data.Length);
        data[..first].CopyTo(_tail.AsSpan(position));
        data[first..].CopyTo(_tail);
        _tailWritten += data.Length;
    }

    public void Append(string text) => Append(Encoding.UTF8.GetBytes(text));

    public CapturedOutput Complete()
    {
        if (_lineLength > 0)
        {
            ScanLine(_line.AsSpan(0, _lineLength));
            _lineLength = 0;
        }
        var tailLength = (int)Math.Min(_tailWritten, _tail.Length);
        var tail = new byte[tailLength];
        if (tailLength > 0)
        {
            var start = (int)(_tailWritten % _tail.Length);
            if (_tailWritten <= _tail.Length)
            {
                start = 0;
            }
            var first = Math.Min(_tail.Length - start, tailLength);
            _tail.AsSpan(start, first).CopyTo(tail);
            _tail.AsSpan(0, tailLength - first).CopyTo(tail.AsSpan(first));
        }
        var dropped = _total - _headLength - tailLength;
        var text = Encoding.UTF8.GetString(_head, 0, _headLength);
        if (dropped > 0)
        {
            text += $"\n[... {dropped} bytes of output dropped ...]\n";
        }
        text += Encoding.UTF8.GetString(tail);
        return new CapturedOutput(text, _total, dropped, _exitReason);
    }

    private void ScanLines(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var piece = newline < 0 ? data : data[..newline];
            var room = _line.Length - _lineLength;
            if (piece.Length > room)
            {
                _lineOverflowed = true;
            }
            piece[..Math.Min(room, piece.Length)].CopyTo(_line.AsSpan(_lineLength));
            _lineLength += Math.Min(room, piece.Length);
            if (newline < 0)
            {
                return;
            }
            ScanLine(_line.AsSpan(0, _lineLength));
            _lineLength = 0;
            _lineOverflowed = false;
            data = data[(newline + 1)..];
        }
    }

    private void ScanLine(ReadOnlySpan<byte> line)
    {
        var prefix = "ocf-exit-reason:"u8;
        var at = line.LastIndexOf(prefix);
        if (at < 0)
        {
            return;
        }
        var reason = Encoding.UTF8.GetString(line[(at + prefix.Length)..]).TrimEnd('\r');
        if (reason.Length == 0 && !_lineOverflowed)
        {
            return;
        }
        _exitReason = reason.Length > ExitReasonMaxChars ? reason[..ExitReasonMaxChars] : reason;
    }
}
