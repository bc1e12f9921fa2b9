using Tandem.Volumes.DataPlane;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Protocol;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Service;

/// <summary>The data path of a Primary: FUSE requests in, local disk and peer out.</summary>
public sealed unsafe partial class Volume : IFuseHandler
{
    private const int FlushOwnerIgnore = -1;
    private const int FlushOwnerBarrier = -2;
    private const int FlushOwnerDurable = -3;

    private readonly object _barrierGate = new();
    private long _barrierDone = -1;
    private long _retiredAllocatedBytes;

    void IFuseHandler.Write(FuseRequest r)
    {
        _freeze.Enter();
        r.Error = 0;
        r.PeerDone = 0;
        (r.FirstExtent, r.LastExtent) = _al.Begin(r.Offset, r.Size);
        var range = _ranges.Acquire(r.Offset, r.Size);
        var link = _link;
        // Counted before the frame is queued: the peer's acknowledgement may arrive before Enqueue returns.
        r.Remaining = 2;
        var replicate = link is not null && link.Enqueue(new OutgoingFrame(MessageType.Write, r.Offset, r.Size, r.Index, null));
        if (!replicate)
        {
            r.Remaining = 1;
            _md.Bitmap.SetRange(r.Offset, r.Size);
        }
        var error = _data.Write(r.Payload, r.Size, r.Offset);
        _ranges.Release(range);
        if (error != 0)
        {
            Interlocked.CompareExchange(ref r.Error, error, 0);
        }
        PartDone(r);
    }

    void IFuseHandler.Read(FuseRequest r)
    {
        var error = _data.Read(r.Payload, r.Size, r.Offset);
        _fuse!.ReplyData(r, error, r.Size);
    }

    void IFuseHandler.Fsync(FuseRequest r)
    {
        _freeze.Enter();
        r.Error = 0;
        r.PeerDone = 0;
        r.FirstExtent = r.LastExtent = -1;
        r.Epoch = Interlocked.Increment(ref _epoch) - 1;
        var link = _link;
        r.PeerFlushed = false;
        r.Remaining = 2;
        // Protocol C: the peer flushes in parallel with the local disk and the FSYNC waits for both.
        var peer = _def.Protocol == ReplicationProtocol.C && link is not null
            && link.Enqueue(new OutgoingFrame(MessageType.Flush, r.Epoch, 0, r.Index, null));
        if (!peer)
        {
            r.PeerFlushed = link is null;
            r.Remaining = 1;
        }
        var error = _data.Flush();
        if (error != 0)
        {
            Interlocked.CompareExchange(ref r.Error, error, 0);
        }
        if (!peer && link is not null && error == 0)
        {
            // Protocol A: the peer follows; its flush is acknowledged to the activity log only.
            link.Enqueue(new OutgoingFrame(MessageType.Flush, r.Epoch, 0, FlushOwnerDurable, null));
        }
        PartDone(r);
    }

    private void PartDone(FuseRequest r)
    {
        if (Interlocked.Decrement(ref r.Remaining) != 0)
        {
            return;
        }
        if (r.Opcode == 20)
        {
            if (r.Error == 0 && r.PeerFlushed)
            {
                _al.Durable(r.Epoch);
            }
        }
        else
        {
            _al.End(r.FirstExtent, r.LastExtent, Volatile.Read(ref _epoch));
        }
        var fuse = _fuse;
        if (fuse is not null)
        {
            fuse.Complete(r);
        }
        _freeze.Exit();
    }

    private void PeerPart(int slot, bool flushed)
    {
        var fuse = _fuse;
        if (fuse is null)
        {
            return;
        }
        var r = fuse.Slot(slot);
        if (Interlocked.Exchange(ref r.PeerDone, 1) == 0)
        {
            if (flushed)
            {
                r.PeerFlushed = true;
            }
            PartDone(r);
        }
    }

    /// <summary>Makes every completed write durable locally and, when connected, on the peer; returns the epoch covered.</summary>
    private long Barrier()
    {
        var epoch = Interlocked.Increment(ref _epoch) - 1;
        var error = _data.Flush();
        if (error != 0)
        {
            throw new IOException($"{_data.Path}: flush failed: {Libc.Describe(error)}");
        }
        var link = _link;
        if (link is not null && link.Enqueue(new OutgoingFrame(MessageType.Flush, epoch, 0, FlushOwnerBarrier, null)))
        {
            lock (_barrierGate)
            {
                while (_barrierDone < epoch)
                {
                    Monitor.Wait(_barrierGate);
                }
            }
        }
        return epoch;
    }

    private void Durable(long epoch) => _al.Durable(epoch);

    private void BarrierDone(long epoch)
    {
        lock (_barrierGate)
        {
            _barrierDone = Math.Max(_barrierDone, epoch);
            Monitor.PulseAll(_barrierGate);
        }
    }
}
