using System.Net.Sockets;
using Tandem.Volumes.DataPlane;
using Tandem.Volumes.Protocol;

namespace Tandem.Volumes.Replication;

/// <summary>
/// An authenticated connection to the peer after the handshake. One sender thread writes frames in queue
/// order (replies first); one receiver thread applies the peer's frames in the order they were sent, so
/// the peer's disk sees writes in the Primary's order. Ordered frames stay queued until acknowledged;
/// acknowledged writes stay until a later flush is acknowledged (the transfer log), so when the link
/// fails every write not known durable on the peer is handed back to be marked out of sync.
/// </summary>
public sealed unsafe class PeerLink : IDisposable
{
    private const int OrderedCapacity = 8192;
    private const int ReplyCapacity = 16384;
    private const int FlushEvery = 2048;

    private readonly FrameChannel _channel;
    private readonly IPeerLinkHandler _handler;
    private readonly int _pingIntervalMs;
    private readonly int _timeoutMs;
    private readonly Action<string> _log;
    private readonly OutgoingFrame[] _ordered = new OutgoingFrame[OrderedCapacity];
    private readonly (MessageType Type, ulong Arg)[] _replies = new (MessageType, ulong)[ReplyCapacity];
    private readonly object _gate = new();
    private readonly AlignedBuffer _receiveBuffer = new(AlignedBuffer.PageSize + FrameHeader.MaxDataPayload);
    private readonly byte[] _controlBuffer = new byte[FrameHeader.Size + FrameHeader.MaxControlPayload];
    private readonly Thread _sender;
    private readonly Thread _receiver;
    private long _retireHead, _ackHead, _sendCursor, _tail;
    private int _replyHead, _replyCount;
    private long _writesSinceFlush;
    private int _failed;
    private bool _goodbyeSent;
    private long _allocatedBytes;
    private long _sentBytes;
    private long _receivedBytes;

    public PeerLink(FrameChannel channel, IPeerLinkHandler handler, int pingIntervalMs, int timeoutMs, Action<string> log)
    {
        _channel = channel;
        _handler = handler;
        _pingIntervalMs = pingIntervalMs;
        _timeoutMs = timeoutMs;
        _log = log;
        channel.Socket.NoDelay = true;
        channel.Socket.ReceiveTimeout = timeoutMs;
        channel.Socket.SendTimeout = timeoutMs;
        channel.Socket.SendBufferSize = 4 << 20;
        channel.Socket.ReceiveBufferSize = 4 << 20;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "peer-send" };
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "peer-receive" };
    }

    public bool IsFailed => Volatile.Read(ref _failed) != 0;

    /// <summary>Bytes allocated on the link's threads after warm-up (should stay 0).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    public long SentBytes => Interlocked.Read(ref _sentBytes);

    public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    public void Start()
    {
        _sender.Start();
        _receiver.Start();
    }

    /// <summary>Queues an ordered frame; false when the link has failed (the caller handles the frame itself).</summary>
    public bool Enqueue(OutgoingFrame frame)
    {
        lock (_gate)
        {
            while (_tail - _retireHead >= OrderedCapacity - 1 && _failed == 0)
            {
                Monitor.Wait(_gate, 100);
            }
            if (_failed != 0)
            {
                return false;
            }
            _ordered[_tail++ % OrderedCapacity] = frame;
            if (frame.Type == MessageType.Write && ++_writesSinceFlush >= FlushEvery)
            {
                // Keep the transfer log bounded: a flush lets acknowledged writes retire.
                _writesSinceFlush = 0;
                _ordered[_tail++ % OrderedCapacity] = new OutgoingFrame(MessageType.Flush, -1, 0, -1, null);
            }
            else if (frame.Type == MessageType.Flush)
            {
                _writesSinceFlush = 0;
            }
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Ends the link: tells the peer why when <paramref name="graceful"/>, then fails it.</summary>
    public void Close(string reason, bool graceful, bool outdatePeer)
    {
        if (graceful && !IsFailed)
        {
            // The sender says goodbye ahead of queued data (replies go first); wait briefly until it has.
            lock (_gate)
            {
                if (_replyCount < ReplyCapacity)
                {
                    _replies[(_replyHead + _replyCount++) % ReplyCapacity] = (MessageType.Disconnect, outdatePeer ? 1UL : 0UL);
                    Monitor.PulseAll(_gate);
                    var deadline = Environment.TickCount64 + 1000;
                    while (!_goodbyeSent && _failed == 0 && Environment.TickCount64 < deadline)
                    {
                        Monitor.Wait(_gate, 100);
                    }
                }
            }
        }
        Fail(reason);
    }

    public void Dispose()
    {
        Fail("closed");
        if (Thread.CurrentThread != _receiver)
        {
            _receiver.Join(TimeSpan.FromSeconds(5));
        }
        if (Thread.CurrentThread != _sender)
        {
            _sender.Join(TimeSpan.FromSeconds(5));
        }
        _receiveBuffer.Dispose();
    }

    private void Reply(MessageType type, ulong arg)
    {
        lock (_gate)
        {
            if (_replyCount == ReplyCapacity)
            {
                throw new ProtocolViolationException("the peer does not read its acknowledgements");
            }
            _replies[(_replyHead + _replyCount++) % ReplyCapacity] = (type, arg);
            Monitor.PulseAll(_gate);
        }
    }

    private void SendLoop()
    {
        var warm = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (!IsFailed)
            {
                MessageType replyType = 0;
                ulong replyArg = 0;
                var haveReply = false;
                long index = -1;
                OutgoingFrame frame = default;
                ulong seq;
                lock (_gate)
                {
                    if (_replyCount == 0 && _sendCursor == _tail && _failed == 0 && !Monitor.Wait(_gate, _pingIntervalMs) && _replyCount == 0 && _sendCursor == _tail)
                    {
                        replyType = MessageType.Ping;
                        haveReply = true;
                    }
                    if (_failed != 0)
                    {
                        return;
                    }
                    if (_ackHead < _sendCursor && _ordered[_ackHead % OrderedCapacity] is { Sent: true } oldest
                        && Environment.TickCount64 - oldest.SentAtMs > _timeoutMs)
                    {
                        // A peer that answers pings but not data is as good as gone: never hang the writer.
                        throw new IOException($"the peer did not acknowledge {oldest.Type} frame {oldest.Sequence} within {_timeoutMs}ms");
                    }
                    if (!haveReply && _replyCount > 0)
                    {
                        (replyType, replyArg) = _replies[_replyHead];
                        _replyHead = (_replyHead + 1) % ReplyCapacity;
                        _replyCount--;
                        haveReply = true;
                    }
                    else if (!haveReply && _sendCursor < _tail)
                    {
                        index = _sendCursor++;
                        ref var slot = ref _ordered[index % OrderedCapacity];
                        slot.Sequence = _channel.NextSendSequence();
                        frame = slot;
                    }
                    if (!haveReply && index < 0)
                    {
                        continue;
                    }
                    seq = haveReply ? _channel.NextSendSequence() : frame.Sequence;
                }
                if (haveReply)
                {
                    new FrameHeader(replyType, seq, replyArg, 0).Write(_controlBuffer);
                    _channel.SendAll(_controlBuffer.AsSpan(0, FrameHeader.Size));
                    if (replyType == MessageType.Disconnect)
                    {
                        lock (_gate)
                        {
                            _goodbyeSent = true;
                            Monitor.PulseAll(_gate);
                        }
                        return;
                    }
                }
                else
                {
                    SendOrdered(frame);
                    bool sent;
                    lock (_gate)
                    {
                        // Decided under the lock so that exactly one of Sent and Dropped(unsent) reports it.
                        sent = _failed == 0;
                        if (sent)
                        {
                            _ordered[index % OrderedCapacity].Sent = true;
                            _ordered[index % OrderedCapacity].SentAtMs = Environment.TickCount64;
                            frame.Sent = true;
                        }
                    }
                    if (sent)
                    {
                        _handler.Sent(frame);
                    }
                }
                var now = GC.GetAllocatedBytesForCurrentThread();
                if (++warm > 64)
                {
                    Interlocked.Add(ref _allocatedBytes, now - before);
                }
                before = now;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or ProtocolViolationException)
        {
            Fail($"send failed: {e.Message}");
        }
    }

    private void SendOrdered(in OutgoingFrame frame)
    {
        var h = new FrameHeader(frame.Type, frame.Sequence, (ulong)frame.Arg, frame.Length);
        if (frame.Type is MessageType.Write or MessageType.ResyncData)
        {
            var payload = _handler.PayloadOf(frame);
            var start = payload - FrameHeader.Size;
            h.Write(new Span<byte>(start, FrameHeader.Size));
            _channel.SendAll(new ReadOnlySpan<byte>(start, FrameHeader.Size + frame.Length));
        }
        else
        {
            h.Write(_controlBuffer);
            frame.Small.AsSpan(0, frame.Length).CopyTo(_controlBuffer.AsSpan(FrameHeader.Size));
            _channel.SendAll(_controlBuffer.AsSpan(0, FrameHeader.Size + frame.Length));
        }
        Interlocked.Add(ref _sentBytes, FrameHeader.Size + frame.Length);
    }

    private void ReceiveLoop()
    {
        var warm = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var payload = _receiveBuffer.Pointer + AlignedBuffer.PageSize;
        try
        {
            while (!IsFailed)
            {
                var h = _channel.ReceiveHeader();
                if (h.Length > 0)
                {
                    _channel.ReceiveAll(new Span<byte>(payload, h.Length));
                }
                Interlocked.Add(ref _receivedBytes, FrameHeader.Size + h.Length);
                switch (h.Type)
                {
                    case MessageType.Write or MessageType.ResyncData:
                        var error = _handler.ApplyWrite((long)h.Arg, payload, h.Length, h.Type == MessageType.ResyncData);
                        if (error != 0)
                        {
                            throw new IOException($"local write failed: {Libc.Describe(error)}");
                        }
                        Reply(MessageType.Ack, h.Sequence);
                        break;
                    case MessageType.Flush:
                        var flushError = _handler.ApplyFlush();
                        if (flushError != 0)
                        {
                            throw new IOException($"local flush failed: {Libc.Describe(flushError)}");
                        }
                        Reply(MessageType.Ack, h.Sequence);
                        break;
                    case MessageType.ResyncDone:
                        _handler.ResyncDone(StateMessage.DecodeIds(new ReadOnlySpan<byte>(payload, h.Length)));
                        Reply(MessageType.Ack, h.Sequence);
                        break;
                    case MessageType.StateChange:
                        _handler.PeerStateChanged(StateMessage.Decode(new ReadOnlySpan<byte>(payload, h.Length)));
                        Reply(MessageType.Ack, h.Sequence);
                        break;
                    case MessageType.Ack:
                        Acknowledge(h.Arg);
                        break;
                    case MessageType.Ping:
                        Reply(MessageType.PingAck, h.Sequence);
                        break;
                    case MessageType.PingAck:
                        break;
                    case MessageType.Disconnect:
                        _handler.PeerDisconnecting(h.Arg == 1);
                        Fail("the peer disconnected");
                        return;
                    default:
                        throw new ProtocolViolationException($"{h.Type} frame after the handshake");
                }
                var now = GC.GetAllocatedBytesForCurrentThread();
                // Data-path frames only: role changes and resync completion are control events and may allocate.
                if (++warm > 64 && h.Type is not (MessageType.StateChange or MessageType.ResyncDone))
                {
                    Interlocked.Add(ref _allocatedBytes, now - before);
                }
                before = now;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
        {
            Fail("the peer was silent past the timeout");
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or ProtocolViolationException)
        {
            if (e is ProtocolViolationException)
            {
                _log($"protocol violation from the peer, dropping the connection: {e.Message}");
            }
            Fail(e.Message);
        }
    }

    private void Acknowledge(ulong sequence)
    {
        OutgoingFrame frame;
        lock (_gate)
        {
            if (_ackHead >= _sendCursor || _ordered[_ackHead % OrderedCapacity].Sequence != sequence)
            {
                throw new ProtocolViolationException($"acknowledgement of frame {sequence}, which is not the oldest unacknowledged one");
            }
            ref var slot = ref _ordered[_ackHead % OrderedCapacity];
            slot.Acked = true;
            frame = slot;
            _ackHead++;
            if (frame.Type == MessageType.Flush)
            {
                // Every write before this flush is durable on the peer: the transfer log drops them.
                _retireHead = _ackHead;
                Monitor.PulseAll(_gate);
            }
            else if (_retireHead == _ackHead - 1 && frame.Type != MessageType.Write)
            {
                _retireHead = _ackHead;
            }
        }
        _handler.Acknowledged(frame);
    }

    private void Fail(string reason)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }
        long from, to;
        lock (_gate)
        {
            from = _retireHead;
            to = _tail;
            _retireHead = _ackHead = _sendCursor = _tail;
            Monitor.PulseAll(_gate);
        }
        try
        {
            _channel.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _channel.Socket.Close();
        for (var i = from; i < to; i++)
        {
            var f = _ordered[i % OrderedCapacity];
            _handler.Dropped(f, f.Acked);
        }
        _handler.Failed(this, reason);
    }
}
