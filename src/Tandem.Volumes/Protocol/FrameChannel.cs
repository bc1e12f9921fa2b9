using System.Net.Sockets;

namespace Tandem.Volumes.Protocol;

/// <summary>
/// Frames over a connected socket with sequence numbers checked in both directions. Used directly for the
/// handshake; <see cref="Replication.PeerLink"/> takes it over afterwards and keeps the numbering.
/// </summary>
public sealed class FrameChannel(Socket socket) : IDisposable
{
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private readonly byte[] _sendHeader = new byte[FrameHeader.Size];

    public Socket Socket => socket;

    /// <summary>Sequence number of the last frame sent.</summary>
    public ulong SentSequence { get; private set; }

    /// <summary>Sequence number of the last frame received.</summary>
    public ulong ReceivedSequence { get; private set; }

    public ulong NextSendSequence() => ++SentSequence;

    public void Send(MessageType type, ulong arg, ReadOnlySpan<byte> payload)
    {
        new FrameHeader(type, NextSendSequence(), arg, payload.Length).Write(_sendHeader);
        SendAll(_sendHeader);
        SendAll(payload);
    }

    public void SendAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = socket.Send(data, SocketFlags.None);
            data = data[n..];
        }
    }

    /// <summary>Reads and checks the next header (sequence included); the payload is read separately.</summary>
    public FrameHeader ReceiveHeader()
    {
        ReceiveAll(_header);
        var h = FrameHeader.Read(_header);
        if (h.Sequence != ReceivedSequence + 1)
        {
            throw new ProtocolViolationException($"frame sequence {h.Sequence}, expected {ReceivedSequence + 1}");
        }
        ReceivedSequence = h.Sequence;
        return h;
    }

    /// <summary>Receives a whole control frame of the expected type.</summary>
    public (FrameHeader Header, byte[] Payload) Receive(MessageType expected)
    {
        var h = ReceiveHeader();
        if (h.Type != expected)
        {
            throw new ProtocolViolationException($"expected {expected}, received {h.Type}");
        }
        var payload = new byte[h.Length];
        ReceiveAll(payload);
        return (h, payload);
    }

    public void ReceiveAll(Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = socket.Receive(buffer, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the peer closed the connection");
            }
            buffer = buffer[n..];
        }
    }

    public void Dispose() => socket.Dispose();
}
