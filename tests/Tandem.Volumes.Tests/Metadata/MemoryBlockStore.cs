using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Tests.Metadata;

/// <summary>
/// An in-memory disk with a volatile cache: writes are lost unless flushed, and a crash can tear the
/// last unflushed write (keep only its first bytes) — what a power cut does to a real disk.
/// </summary>
public sealed class MemoryBlockStore(int size) : IBlockStore
{
    private readonly byte[] _durable = new byte[size];
    private readonly List<(long Offset, byte[] Data)> _pending = [];

    public int Flushes { get; private set; }

    public void Read(long offset, Span<byte> buffer)
    {
        _durable.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
        foreach (var (o, d) in _pending)
        {
            Overlay(o, d, offset, buffer);
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> buffer) => _pending.Add((offset, buffer.ToArray()));

    public void Flush()
    {
        foreach (var (o, d) in _pending)
        {
            d.CopyTo(_durable, o);
        }
        _pending.Clear();
        Flushes++;
    }

    /// <summary>Power cut: unflushed writes before the last survive, the last one is torn after <paramref name="keepBytes"/>.</summary>
    public void Crash(int keepBytes)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            var (o, d) = _pending[i];
            var n = i == _pending.Count - 1 ? Math.Min(keepBytes, d.Length) : d.Length;
            d.AsSpan(0, n).CopyTo(_durable.AsSpan((int)o));
        }
        _pending.Clear();
    }

    public void Corrupt(long offset) => _durable[offset] ^= 0x5A;

    private static void Overlay(long writeOffset, byte[] data, long readOffset, Span<byte> buffer)
    {
        var start = Math.Max(writeOffset, readOffset);
        var end = Math.Min(writeOffset + data.Length, readOffset + buffer.Length);
        if (start < end)
        {
            data.AsSpan((int)(start - writeOffset), (int)(end - start)).CopyTo(buffer[(int)(start - readOffset)..]);
        }
    }
}
