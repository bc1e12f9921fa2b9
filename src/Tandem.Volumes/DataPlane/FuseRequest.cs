namespace Tandem.Volumes.DataPlane;

/// <summary>
/// One preallocated request slot: a page for headers and replies followed by a page-aligned payload of
/// the largest write, so WRITE data lands aligned for O_DIRECT and can be sent to the peer in place
/// (the frame header goes in the 32 bytes just before the payload).
/// </summary>
public sealed unsafe class FuseRequest : IDisposable
{
    public const int InHeaderBytes = 40;
    public const int WriteInBytes = 40;
    public const int HeaderArea = InHeaderBytes + WriteInBytes;

    private readonly AlignedBuffer _buffer;

    public FuseRequest(int index, int maxPayload)
    {
        Index = index;
        _buffer = new AlignedBuffer(AlignedBuffer.PageSize + maxPayload);
        MaxPayload = maxPayload;
    }

    public int Index { get; }

    public int MaxPayload { get; }

    /// <summary>Where readv puts the in-header and the write-in (the 80 bytes before the payload).</summary>
    public byte* Header => _buffer.Pointer + AlignedBuffer.PageSize - HeaderArea;

    public byte* Payload => _buffer.Pointer + AlignedBuffer.PageSize;

    /// <summary>Room for an out-header and a reply struct; never overlaps the request header.</summary>
    public byte* ReplyArea => _buffer.Pointer;

    public ulong Unique { get; set; }

    public uint Opcode { get; set; }

    public long Offset { get; set; }

    public int Size { get; set; }

    /// <summary>Parts still to finish before the reply goes out (local write, peer ack); the last one replies.</summary>
    public int Remaining;

    /// <summary>1 once the peer's part (acknowledged, sent, or dropped) has been counted, so it counts once.</summary>
    public int PeerDone;

    /// <summary>First error seen by any part (positive errno), or 0.</summary>
    public int Error;

    /// <summary>FSYNC: the barrier epoch it makes durable.</summary>
    public long Epoch { get; set; }

    /// <summary>FSYNC: the peer's side is accounted for (its flush acknowledged, or the link dropped and marked the bitmap).</summary>
    public bool PeerFlushed { get; set; }

    /// <summary>Activity-log extents held by this write (first and last), -1 when none.</summary>
    public int FirstExtent { get; set; } = -1;

    public int LastExtent { get; set; } = -1;

    public void Dispose() => _buffer.Dispose();
}
