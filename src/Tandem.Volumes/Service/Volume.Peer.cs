using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProtocolViolationException = Tandem.Volumes.Protocol.ProtocolViolationException;
using Tandem.Volumes.DataPlane;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Protocol;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Service;

/// <summary>The peer side of a volume: listening, dialing, the authenticated handshake, resync.</summary>
public sealed unsafe partial class Volume : IPeerLinkHandler
{
    private const ushort ProtocolVersion = 1;
    private const int HandshakeTimeoutMs = 5000;
    private const int ResyncBuffers = 8;
    private const int ResyncChunkBytes = 256 << 10;
    private const long ResyncFlushEveryBytes = 64L << 20;

    private readonly AlignedBuffer[] _resyncBuffers = new AlignedBuffer[ResyncBuffers];
    private readonly Stack<int> _freeResyncBuffers = new();
    private readonly object _handshakeGate = new();
    private volatile PeerLink? _link;
    private TcpListener? _listener;
    private Thread? _acceptThread;
    private Thread? _dialThread;
    private Thread? _resyncThread;
    private long _resyncTotalBytes;
    private long _resyncDoneBytes;
    private long _lastResyncBytes;
    private long _resyncStartTicks;
    private long _targetBytesSinceFlush;

    private bool IsDialer => string.CompareOrdinal(_node, _peer.Node) < 0;

    private void StartNetwork()
    {
        _listener = new TcpListener(IPAddress.Parse(_local.Host), _local.Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException($"{Name}: cannot listen on {_local.Address}: {e.Message}");
        }
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"{Name}-accept" };
        _acceptThread.Start();
        if (IsDialer)
        {
            _dialThread = new Thread(DialLoop) { IsBackground = true, Name = $"{Name}-dial" };
            _dialThread.Start();
        }
    }

    private void StopNetwork()
    {
        _listener?.Stop();
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
        _acceptThread?.Join(TimeSpan.FromSeconds(5));
        _dialThread?.Join(TimeSpan.FromSeconds(5));
    }

    private bool WantsPeer()
    {
        lock (_gate)
        {
            return !_down && _sm.WantsPeer && _link is null;
        }
    }

    private void AcceptLoop()
    {
        while (!_down)
        {
            Socket s;
            try
            {
                s = _listener!.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (IsDialer || !WantsPeer())
            {
                // This side dials, or it is not looking for a peer now: the caller is turned away.
                _log($"connection from {s.RemoteEndPoint} refused ({(IsDialer ? "this node dials" : _sm.Connection.ToString())})");
                s.Dispose();
                continue;
            }
            Handshake(s);
        }
    }

    private void DialLoop()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(_peer.Host), _peer.Port);
        while (!_down)
        {
            if (!WantsPeer())
            {
                lock (_gate)
                {
                    Monitor.Wait(_gate, 500);
                }
                continue;
            }
            var s = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // A blocking connect keeps the socket in blocking mode, whose sends and receives go straight
                // to the kernel without allocating; two SYN retries bound it to a few seconds (TCP_SYNCNT).
                s.SetRawSocketOption(6, 7, BitConverter.GetBytes(2));
                s.Connect(endpoint);
            }
            catch (SocketException)
            {
                s.Dispose();
                lock (_gate)
                {
                    Monitor.Wait(_gate, 1000);
                }
                continue;
            }
            Handshake(s);
            if (_link is null)
            {
                Thread.Sleep(1000);
            }
        }
    }

    /// <summary>Authenticates the peer both ways, exchanges state, decides the sync, and starts the link.</summary>
    private void Handshake(Socket s)
    {
        lock (_handshakeGate)
        {
            var channel = new FrameChannel(s);
            var frozen = false;
            try
            {
                s.NoDelay = true;
                s.ReceiveTimeout = HandshakeTimeoutMs;
                s.SendTimeout = HandshakeTimeoutMs;
                var auth = new PeerAuthenticator(_def.Secret, Name);
                var nonce = PeerAuthenticator.NewNonce();
                channel.Send(MessageType.Hello, 0, new HelloMessage(ProtocolVersion, ProtocolVersion, _node, Name, nonce).Encode());
                var hello = HelloMessage.Decode(channel.Receive(MessageType.Hello).Payload);
                if (hello.Volume != Name || hello.Node != _peer.Node)
                {
                    throw new ProtocolViolationException($"caller says it is {hello.Node} for volume {hello.Volume}; expected {_peer.Node} for {Name}");
                }
                if (hello.MinVersion > ProtocolVersion || hello.MaxVersion < ProtocolVersion)
                {
                    throw new ProtocolViolationException($"peer speaks protocol {hello.MinVersion}-{hello.MaxVersion}, this node {ProtocolVersion}");
                }
                channel.Send(MessageType.Auth, 0, auth.Prove(_node, _peer.Node, hello.Nonce, nonce));
                var proof = channel.Receive(MessageType.Auth).Payload;
                if (!auth.Verify(_peer.Node, _node, nonce, hello.Nonce, proof))
                {
                    throw new ProtocolViolationException("authentication failed (wrong shared secret?)");
                }
                // Writes wait while the peers agree on the data; nothing may slip between the two bitmaps.
                frozen = _freeze.Freeze(HandshakeTimeoutMs);
                if (!frozen)
                {
                    throw new IOException("writes in flight did not finish in time");
                }
                StateMessage mine;
                lock (_gate)
                {
                    if (!(!_down && _sm.WantsPeer && _link is null))
                    {
                        return;
                    }
                    mine = CurrentState();
                }
                channel.Send(MessageType.State, 0, mine.Encode());
                var theirs = StateMessage.Decode(channel.Receive(MessageType.State).Payload);
                if (theirs.SizeBytes != _def.SizeBytes || theirs.Protocol != _def.Protocol)
                {
                    GiveUp(channel, $"the peer's definition differs (size {theirs.SizeBytes}, protocol {theirs.Protocol}; here {_def.SizeBytes}, {_def.Protocol})");
                    return;
                }
                var plan = SyncDecision.Decide(mine.View, theirs.View, _def, selfWinsTies: IsDialer);
                if (plan.Reason != _sm.Problem)
                {
                    // A split brain awaiting its victim meets the peer again and again: say it once.
                    _log($"handshake with {_peer.Node}: {plan.Direction}{(plan.FullSync ? " (full)" : "")}: {plan.Reason}");
                }
                if (plan.Direction is SyncDirection.SplitBrain or SyncDirection.Unrelated or SyncDirection.Refused)
                {
                    GiveUp(channel, plan.Reason, plan.Direction == SyncDirection.SplitBrain);
                    return;
                }
                if (plan.Direction is SyncDirection.Source or SyncDirection.Target)
                {
                    if (plan.FullSync)
                    {
                        _md.Bitmap.SetAll();
                    }
                    else
                    {
                        ExchangeBitmaps(channel);
                    }
                }
                lock (_gate)
                {
                    _sm.Connected(plan, theirs.View.Role, theirs.Disk);
                    PersistIfChanged();
                    var link = new PeerLink(channel, this, _def.PingIntervalMs, _def.TimeoutMs, _log);
                    _link = link;
                    if (plan.Direction != SyncDirection.None)
                    {
                        Interlocked.Exchange(ref _resyncTotalBytes, _md.Bitmap.Count * MetadataLayout.BlockSize);
                        Interlocked.Exchange(ref _resyncDoneBytes, 0);
                        _resyncStartTicks = Stopwatch.GetTimestamp();
                    }
                    link.Start();
                    if (plan.Direction == SyncDirection.Source)
                    {
                        _resyncThread?.Join();
                        _resyncThread = new Thread(() => ResyncLoop(link)) { IsBackground = true, Name = $"{Name}-resync" };
                        _resyncThread.Start();
                    }
                }
                _log($"connected to {_peer.Node}: {_sm.Connection}");
                channel = null!;
            }
            catch (Exception e) when (e is SocketException or IOException or ProtocolViolationException or ObjectDisposedException)
            {
                _log($"peer {s.RemoteEndPoint?.ToString() ?? _peer.Address} dropped during handshake: {e.Message}");
            }
            finally
            {
                if (frozen)
                {
                    _freeze.Thaw();
                }
                channel?.Dispose();
            }
        }
    }

    private void GiveUp(FrameChannel channel, string reason, bool splitBrain = false)
    {
        lock (_gate)
        {
            _sm.GiveUp(reason, splitBrain);
            PersistIfChanged();
        }
        channel.Dispose();
    }

    /// <summary>Both sides send their bitmap and merge the other's: the resync covers what either side changed.</summary>
    private void ExchangeBitmaps(FrameChannel channel)
    {
        var pages = _md.Bitmap.Pages;
        var send = Task.Run(() =>
        {
            var page = new byte[MetadataLayout.PayloadSize];
            for (var p = 0; p < pages; p++)
            {
                _md.Bitmap.ReadPage(p, page);
                channel.Send(MessageType.BitmapPage, (ulong)p, page);
            }
            channel.Send(MessageType.BitmapDone, 0, []);
        });
        var received = new byte[MetadataLayout.PayloadSize];
        while (true)
        {
            var h = channel.ReceiveHeader();
            if (h.Type == MessageType.BitmapDone && h.Length == 0)
            {
                break;
            }
            if (h.Type != MessageType.BitmapPage || h.Length != MetadataLayout.PayloadSize || h.Arg >= (ulong)pages)
            {
                throw new ProtocolViolationException($"bad bitmap exchange frame {h.Type} ({h.Length} bytes, page {h.Arg})");
            }
            channel.ReceiveAll(received);
            _md.Bitmap.MergePage((int)h.Arg, received);
        }
        send.GetAwaiter().GetResult();
    }

    private void ResyncLoop(PeerLink link)
    {
        long cursor = 0;
        var bucket = (double)ResyncChunkBytes;
        var last = Stopwatch.GetTimestamp();
        long sinceFlush = 0;
        while (!link.IsFailed && !_down)
        {
            var block = _md.Bitmap.NextSet(cursor);
            if (block < 0)
            {
                lock (_freeResyncBuffers)
                {
                    while (_freeResyncBuffers.Count < ResyncBuffers && !link.IsFailed)
                    {
                        Monitor.Wait(_freeResyncBuffers, 200);
                    }
                }
                if (link.IsFailed)
                {
                    return;
                }
                if (_md.Bitmap.Count == 0)
                {
                    var ids = _sm.Superblock.Ids.BitmapDone();
                    link.Enqueue(new OutgoingFrame(MessageType.Flush, 0, 0, FlushOwnerIgnore, null));
                    link.Enqueue(new OutgoingFrame(MessageType.ResyncDone, 0, 32, -1, StateMessage.EncodeIds(ids)));
                    return;
                }
                cursor = 0;
                continue;
            }
            var blocks = _md.Bitmap.RunLength(block, ResyncChunkBytes / MetadataLayout.BlockSize);
            var bytes = blocks * MetadataLayout.BlockSize;
            var offset = block * MetadataLayout.BlockSize;
            cursor = block + blocks;
            // Rate limit: a token bucket refilled at the resync rate, at most one chunk ahead.
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                bucket = Math.Min(bucket + (_def.ResyncRateBytesPerSecond * Stopwatch.GetElapsedTime(last, now).TotalSeconds), ResyncChunkBytes * 2);
                last = now;
                if (bucket >= bytes)
                {
                    bucket -= bytes;
                    break;
                }
                Thread.Sleep(Math.Max(1, (int)((bytes - bucket) * 1000 / _def.ResyncRateBytesPerSecond)));
            }
            int buffer;
            lock (_freeResyncBuffers)
            {
                while (_freeResyncBuffers.Count == 0 && !link.IsFailed)
                {
                    Monitor.Wait(_freeResyncBuffers, 200);
                }
                if (link.IsFailed)
                {
                    return;
                }
                buffer = _freeResyncBuffers.Pop();
            }
            var range = _ranges.Acquire(offset, bytes);
            var error = _data.Read(_resyncBuffers[buffer].Pointer + AlignedBuffer.PageSize, bytes, offset);
            var queued = error == 0 && link.Enqueue(new OutgoingFrame(MessageType.ResyncData, offset, bytes, buffer, null));
            _ranges.Release(range);
            if (!queued)
            {
                ReleaseResyncBuffer(buffer);
                if (error != 0)
                {
                    _log($"resync read at {offset} failed: {Libc.Describe(error)}");
                    link.Close("local read error during resync", graceful: false, outdatePeer: false);
                }
                return;
            }
            sinceFlush += bytes;
            if (sinceFlush >= ResyncFlushEveryBytes)
            {
                // Lets the target make progress durable (it persists its bitmap after each flush).
                sinceFlush = 0;
                link.Enqueue(new OutgoingFrame(MessageType.Flush, 0, 0, FlushOwnerIgnore, null));
            }
        }
    }

    private void ReleaseResyncBuffer(int buffer)
    {
        lock (_freeResyncBuffers)
        {
            _freeResyncBuffers.Push(buffer);
            Monitor.PulseAll(_freeResyncBuffers);
        }
    }

    private ResyncProgress Progress(long outOfSyncBytes)
    {
        var total = Math.Max(Interlocked.Read(ref _resyncTotalBytes), outOfSyncBytes);
        var done = Math.Max(0, total - outOfSyncBytes);
        var seconds = Stopwatch.GetElapsedTime(_resyncStartTicks).TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        return new ResyncProgress(total, done, rate, rate > 0 ? outOfSyncBytes / rate : null);
    }

    byte* IPeerLinkHandler.PayloadOf(in OutgoingFrame frame) => frame.Type == MessageType.Write
        ? _fuse!.Slot(frame.Owner).Payload
        : _resyncBuffers[frame.Owner].Pointer + AlignedBuffer.PageSize;

    void IPeerLinkHandler.Sent(in OutgoingFrame frame)
    {
        if (frame.Type == MessageType.Write && _def.Protocol == ReplicationProtocol.A)
        {
            PeerPart(frame.Owner, flushed: false);
        }
    }

    void IPeerLinkHandler.Acknowledged(in OutgoingFrame frame)
    {
        switch (frame.Type)
        {
            case MessageType.Write:
                if (_sm.Connection == ConnectionState.SyncSource)
                {
                    _md.Bitmap.ClearRange(frame.Arg, frame.Length);
                }
                if (_def.Protocol == ReplicationProtocol.C)
                {
                    PeerPart(frame.Owner, flushed: false);
                }
                break;
            case MessageType.ResyncData:
                _md.Bitmap.ClearRange(frame.Arg, frame.Length);
                Interlocked.Add(ref _resyncDoneBytes, frame.Length);
                ReleaseResyncBuffer(frame.Owner);
                break;
            case MessageType.Flush:
                FlushSettled(frame);
                break;
            case MessageType.ResyncDone:
                lock (_gate)
                {
                    _sm.ResyncFinishedAsSource();
                    PersistIfChanged();
                    Interlocked.Exchange(ref _lastResyncBytes, Interlocked.Read(ref _resyncDoneBytes));
                }
                _log($"resync done as source: {ByteSize.Format(Interlocked.Read(ref _lastResyncBytes))} sent");
                break;
        }
    }

    void IPeerLinkHandler.Dropped(in OutgoingFrame frame, bool acknowledged)
    {
        switch (frame.Type)
        {
            case MessageType.Write:
                // Not known durable on the peer: it must be resynced.
                _md.Bitmap.SetRange(frame.Arg, frame.Length);
                if (!frame.Sent || (!acknowledged && _def.Protocol == ReplicationProtocol.C))
                {
                    PeerPart(frame.Owner, flushed: false);
                }
                break;
            case MessageType.ResyncData when !acknowledged:
                ReleaseResyncBuffer(frame.Owner);
                break;
            case MessageType.Flush when !acknowledged:
                FlushSettled(frame);
                break;
        }
    }

    private void FlushSettled(in OutgoingFrame frame)
    {
        switch (frame.Owner)
        {
            case >= 0:
                PeerPart(frame.Owner, flushed: true);
                break;
            case FlushOwnerBarrier:
                BarrierDone(frame.Arg);
                break;
            case FlushOwnerDurable:
                _al.Durable(frame.Arg);
                break;
        }
    }

    int IPeerLinkHandler.ApplyWrite(long offset, byte* data, int length, bool resync)
    {
        if (offset < 0 || offset + length > _def.SizeBytes)
        {
            throw new ProtocolViolationException($"write at {offset}+{length} beyond the volume's {_def.SizeBytes} bytes");
        }
        var error = _data.Write(data, length, offset);
        if (error == 0 && (resync || _sm.Connection == ConnectionState.SyncTarget))
        {
            _md.Bitmap.ClearRange(offset, length);
            if (resync)
            {
                Interlocked.Add(ref _resyncDoneBytes, length);
                Interlocked.Add(ref _targetBytesSinceFlush, length);
            }
        }
        return error;
    }

    int IPeerLinkHandler.ApplyFlush()
    {
        var error = _data.Flush();
        if (error == 0 && Interlocked.Exchange(ref _targetBytesSinceFlush, 0) > 0)
        {
            // Data first, then the cleared bits: a crash never forgets a block that is not on disk.
            if (_md.WriteDirtyBitmapPages() > 0)
            {
                _md.Flush();
            }
        }
        return error;
    }

    void IPeerLinkHandler.ResyncDone(GenerationIds sourceIds)
    {
        lock (_gate)
        {
            _md.Bitmap.ClearAll();
            _sm.ResyncFinishedAsTarget(sourceIds);
            PersistIfChanged();
            Interlocked.Exchange(ref _lastResyncBytes, Interlocked.Read(ref _resyncDoneBytes));
        }
        _log($"resync done as target: {ByteSize.Format(Interlocked.Read(ref _lastResyncBytes))} received");
    }

    void IPeerLinkHandler.PeerStateChanged(StateMessage state)
    {
        lock (_gate)
        {
            _sm.PeerChanged(state.View.Role, state.Disk);
        }
    }

    void IPeerLinkHandler.PeerDisconnecting(bool outdateMe)
    {
        lock (_gate)
        {
            if (outdateMe && _sm.Role == Role.Secondary)
            {
                _sm.Outdate();
                PersistIfChanged();
            }
        }
    }

    void IPeerLinkHandler.Failed(PeerLink link, string reason)
    {
        lock (_gate)
        {
            if (_link != link)
            {
                return;
            }
            _link = null;
            _retiredAllocatedBytes += link.AllocatedBytes;
            _sm.ConnectionLost();
            PersistIfChanged();
            Monitor.PulseAll(_gate);
        }
        _log($"lost the peer: {reason}");
        RunFencePeer();
        ThreadPool.UnsafeQueueUserWorkItem(l => l.Dispose(), link, preferLocal: false);
    }

    /// <summary>
    /// The fence-peer seam: a Primary that lost its peer runs the configured handler so the cluster marks
    /// the peer Outdated (exit 4: outdated, 5: down, 7: fenced, as DRBD's handlers answer). With
    /// resource-and-stonith, writes are held until the handler succeeds.
    /// </summary>
    private void RunFencePeer()
    {
        if (_def.Fencing == FencingPolicy.DontCare || _def.FencePeerHandler is null || _sm.Role != Role.Primary)
        {
            return;
        }
        var freeze = _def.Fencing == FencingPolicy.ResourceAndStonith && _freeze.Freeze(_def.TimeoutMs);
        new Thread(() =>
        {
            try
            {
                var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(_def.FencePeerHandler);
                psi.Environment["TANDEM_VOLUME"] = Name;
                psi.Environment["TANDEM_PEER"] = _peer.Node;
                psi.Environment["DRBD_RESOURCE"] = Name;
                psi.Environment["DRBD_PEERS"] = _peer.Node;
                using var p = Process.Start(psi)!;
                p.WaitForExit();
                if (p.ExitCode is 4 or 5 or 7)
                {
                    lock (_gate)
                    {
                        _sm.PeerOutdated();
                        PersistIfChanged();
                    }
                    _log($"fence-peer: {_peer.Node} outdated (exit {p.ExitCode})");
                }
                else
                {
                    _log($"fence-peer failed (exit {p.ExitCode}){(freeze ? "; writes stay held" : "")}");
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
            {
                _log($"fence-peer could not run: {e.Message}");
                return;
            }
            if (freeze)
            {
                _freeze.Thaw();
            }
        }) { IsBackground = true, Name = $"{Name}-fence-peer" }.Start();
    }
}
