using System.Numerics;
using System.Runtime.InteropServices;

namespace Tandem.Volumes.Metadata;

/// <summary>
/// One bit per 4 KiB block: set = this block may differ from the peer's. Lock-free for concurrent writers
/// (data plane and resync); remembers which on-disk pages changed so only those are written back.
/// </summary>
public sealed class OutOfSyncBitmap
{
    private readonly ulong[] _words;
    private readonly int[] _pageDirty;
    private long _count;

    public OutOfSyncBitmap(long blocks)
    {
        Blocks = blocks;
        Pages = (int)((blocks + MetadataLayout.BitsPerPage - 1) / MetadataLayout.BitsPerPage);
        _words = new ulong[Pages * MetadataLayout.WordsPerPage];
        _pageDirty = new int[Pages];
    }

    public long Blocks { get; }

    public int Pages { get; }

    /// <summary>Number of blocks marked out of sync.</summary>
    public long Count => Interlocked.Read(ref _count);

    public bool IsSet(long block) => (Volatile.Read(ref _words[block >> 6]) & (1UL << (int)(block & 63))) != 0;

    /// <summary>Marks every block touched by the byte range [offset, offset + length).</summary>
    public void SetRange(long offset, long length)
    {
        if (length <= 0)
        {
            return;
        }
        Apply(offset / MetadataLayout.BlockSize, (offset + length - 1) / MetadataLayout.BlockSize, set: true);
    }

    /// <summary>Clears only blocks fully inside the byte range: a partial block write does not make it in sync.</summary>
    public void ClearRange(long offset, long length)
    {
        var first = (offset + MetadataLayout.BlockSize - 1) / MetadataLayout.BlockSize;
        var last = ((offset + length) / MetadataLayout.BlockSize) - 1;
        if (last >= first)
        {
            Apply(first, last, set: false);
        }
    }

    public void SetAll() => Apply(0, Blocks - 1, set: true);

    public void ClearAll() => Apply(0, Blocks - 1, set: false);

    /// <summary>First set block at or after <paramref name="from"/>, or -1.</summary>
    public long NextSet(long from)
    {
        if (from >= Blocks)
        {
            return -1;
        }
        var w = (int)(from >> 6);
        var word = Volatile.Read(ref _words[w]) & (ulong.MaxValue << (int)(from & 63));
        while (true)
        {
            if (word != 0)
            {
                var b = ((long)w << 6) + BitOperations.TrailingZeroCount(word);
                return b < Blocks ? b : -1;
            }
            if (++w >= _words.Length)
            {
                return -1;
            }
            word = Volatile.Read(ref _words[w]);
        }
    }

    /// <summary>Length of the run of set blocks starting at <paramref name="block"/>, at most <paramref name="max"/>.</summary>
    public int RunLength(long block, int max)
    {
        var n = 0;
        while (n < max && block + n < Blocks && IsSet(block + n))
        {
            n++;
        }
        return n;
    }

    /// <summary>ORs another replica's bitmap page into this one (bitmap exchange before a resync).</summary>
    public void MergePage(int page, ReadOnlySpan<byte> bits)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bits[..(MetadataLayout.WordsPerPage * 8)]);
        var baseWord = page * MetadataLayout.WordsPerPage;
        for (var i = 0; i < words.Length; i++)
        {
            var mask = words[i] & ValidMask(baseWord + i);
            if (mask == 0)
            {
                continue;
            }
            var old = Interlocked.Or(ref _words[baseWord + i], mask);
            var added = BitOperations.PopCount(mask & ~old);
            if (added > 0)
            {
                Interlocked.Add(ref _count, added);
                Volatile.Write(ref _pageDirty[page], 1);
            }
        }
    }

    /// <summary>Copies one page's bits (the on-disk and on-wire form).</summary>
    public void ReadPage(int page, Span<byte> bits)
    {
        bits.Clear();
        var words = MemoryMarshal.Cast<byte, ulong>(bits[..(MetadataLayout.WordsPerPage * 8)]);
        _words.AsSpan(page * MetadataLayout.WordsPerPage, MetadataLayout.WordsPerPage).CopyTo(words);
    }

    /// <summary>Replaces one page's bits (loading from disk).</summary>
    public void LoadPage(int page, ReadOnlySpan<byte> bits)
    {
        var baseWord = page * MetadataLayout.WordsPerPage;
        var words = MemoryMarshal.Cast<byte, ulong>(bits[..(MetadataLayout.WordsPerPage * 8)]);
        for (var i = 0; i < words.Length; i++)
        {
            var value = words[i] & ValidMask(baseWord + i);
            var old = Interlocked.Exchange(ref _words[baseWord + i], value);
            Interlocked.Add(ref _count, BitOperations.PopCount(value) - BitOperations.PopCount(old));
        }
    }

    /// <summary>True once for each page changed since the last call (so it is written back once).</summary>
    public bool TakeDirty(int page) => Interlocked.Exchange(ref _pageDirty[page], 0) != 0;

    public bool AnyDirty()
    {
        foreach (var d in _pageDirty)
        {
            if (d != 0)
            {
                return true;
            }
        }
        return false;
    }

    private ulong ValidMask(int word)
    {
        var first = (long)word << 6;
        return first + 64 <= Blocks ? ulong.MaxValue : first >= Blocks ? 0 : (1UL << (int)(Blocks - first)) - 1;
    }

    private void Apply(long first, long last, bool set)
    {
        for (var b = first; b <= last;)
        {
            var w = (int)(b >> 6);
            var lo = (int)(b & 63);
            var hi = (int)Math.Min(63, last - ((long)w << 6));
            var mask = (hi == 63 ? ulong.MaxValue : (1UL << (hi + 1)) - 1) & (ulong.MaxValue << lo);
            long changed;
            if (set)
            {
                var old = Interlocked.Or(ref _words[w], mask);
                changed = BitOperations.PopCount(mask & ~old);
            }
            else
            {
                var old = Interlocked.And(ref _words[w], ~mask);
                changed = -BitOperations.PopCount(mask & old);
            }
            if (changed != 0)
            {
                Interlocked.Add(ref _count, changed);
                Volatile.Write(ref _pageDirty[w / MetadataLayout.WordsPerPage], 1);
            }
            b = ((long)w << 6) + hi + 1;
        }
    }
}
