namespace Tandem.Volumes.Metadata;

/// <summary>
/// Where metadata records sit. Every record is 4 KiB and has two slots (double buffering): the superblock,
/// the activity log, then one record per bitmap page. A bitmap page covers <see cref="BitsPerPage"/> blocks
/// of 4 KiB (127 MiB of data).
/// </summary>
public sealed class MetadataLayout
{
    public const int BlockSize = 4096;
    public const int RecordSize = 4096;
    public const int HeaderSize = 32;
    public const int PayloadSize = RecordSize - HeaderSize;
    public const int BitsPerPage = PayloadSize * 8;
    public const int WordsPerPage = BitsPerPage / 64;
    public const int SuperblockRecord = 0;
    public const int ActivityLogRecordIndex = 1;
    public const int FirstBitmapRecord = 2;

    public MetadataLayout(long sizeBytes, long offset)
    {
        if (sizeBytes <= 0 || sizeBytes % BlockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), $"size {sizeBytes} is not a positive multiple of 4 KiB");
        }
        SizeBytes = sizeBytes;
        Offset = offset;
        Blocks = sizeBytes / BlockSize;
        BitmapPages = (int)((Blocks + BitsPerPage - 1) / BitsPerPage);
    }

    /// <summary>Usable data size.</summary>
    public long SizeBytes { get; }

    /// <summary>Byte offset of the metadata area on its store.</summary>
    public long Offset { get; }

    public long Blocks { get; }

    public int BitmapPages { get; }

    public int Records => FirstBitmapRecord + BitmapPages;

    public long TotalBytes => (long)Records * 2 * RecordSize;

    public static long MetadataBytes(long sizeBytes) => new MetadataLayout(sizeBytes, 0).TotalBytes;

    public long SlotOffset(int record, int slot) => Offset + (((long)record * 2) + slot) * RecordSize;
}
