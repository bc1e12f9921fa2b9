namespace Tandem.Volumes.Metadata;

/// <summary>
/// A replica's metadata on disk: superblock (generation ids, flags, size), activity log and out-of-sync
/// bitmap, each record double-buffered. Writers call <see cref="Flush"/> when the change must be durable.
/// </summary>
public sealed class MetadataStore
{
    private readonly IBlockStore _store;
    private readonly DoubleBufferedRecords _records;
    private readonly byte[] _payload = new byte[MetadataLayout.PayloadSize];
    private readonly Lock _gate = new();

    private MetadataStore(IBlockStore store, MetadataLayout layout)
    {
        _store = store;
        _records = new DoubleBufferedRecords(store, layout);
        Bitmap = new OutOfSyncBitmap(layout.Blocks);
    }

    public MetadataLayout Layout => _records.Layout;

    public Superblock Superblock { get; private set; } = null!;

    public OutOfSyncBitmap Bitmap { get; }

    /// <summary>Extents the activity log held when the metadata was opened.</summary>
    public IReadOnlyList<int> LoadedActivityLog { get; private set; } = [];

    /// <summary>Pages whose both slots were unreadable on open; they were taken as all out of sync.</summary>
    public int LostBitmapPages { get; private set; }

    /// <summary>
    /// Fresh metadata (create-md): no generation yet, not consistent, and every block out of sync, so the
    /// first resync copies everything and an interrupted one resumes where it stopped.
    /// </summary>
    public static MetadataStore Create(IBlockStore store, MetadataLayout layout, string volumeName, int alExtents)
    {
        var md = new MetadataStore(store, layout);
        md._records.Wipe();
        md.Superblock = new Superblock { VolumeName = volumeName, SizeBytes = layout.SizeBytes, AlExtents = alExtents };
        md.WriteSuperblock(md.Superblock);
        md.WriteActivityLog([]);
        md.Bitmap.SetAll();
        md.WriteDirtyBitmapPages();
        store.Flush();
        return md;
    }

    /// <summary>Opens existing metadata; a one-line error when there is none or it belongs to another volume or size.</summary>
    /// <exception cref="NewerMetadataFormatException">The metadata was written by a newer Tandem.</exception>
    public static MetadataStore Open(IBlockStore store, MetadataLayout layout, string volumeName)
    {
        try
        {
            return OpenCurrentFormat(store, layout, volumeName);
        }
        catch (NewerMetadataFormatException e)
        {
            throw new NewerMetadataFormatException(e.FoundVersion, volumeName);
        }
    }

    private static MetadataStore OpenCurrentFormat(IBlockStore store, MetadataLayout layout, string volumeName)
    {
        var md = new MetadataStore(store, layout);
        if (!md._records.TryRead(MetadataLayout.SuperblockRecord, RecordKind.Superblock, md._payload))
        {
            throw new InvalidDataException($"{volumeName}: no valid Tandem metadata found (run 'tandem volume create-md {volumeName}')");
        }
        var sb = Superblock.Read(md._payload);
        if (sb.VolumeName != volumeName)
        {
            throw new InvalidDataException($"{volumeName}: the metadata belongs to volume '{sb.VolumeName}'");
        }
        if (sb.SizeBytes != layout.SizeBytes)
        {
            throw new InvalidDataException($"{volumeName}: metadata size {sb.SizeBytes} differs from the definition's {layout.SizeBytes}");
        }
        md.Superblock = sb;
        md.LoadedActivityLog = md._records.TryRead(MetadataLayout.ActivityLogRecordIndex, RecordKind.ActivityLog, md._payload)
            ? ActivityLogRecord.Read(md._payload)
            : [];
        for (var p = 0; p < layout.BitmapPages; p++)
        {
            if (md._records.TryRead(MetadataLayout.FirstBitmapRecord + p, RecordKind.BitmapPage, md._payload))
            {
                md.Bitmap.LoadPage(p, md._payload);
            }
            else
            {
                // Both copies unreadable: assume the worst for this page rather than lose a mark.
                md.LostBitmapPages++;
                Array.Fill(md._payload, (byte)0xFF);
                md.Bitmap.LoadPage(p, md._payload);
            }
            md.Bitmap.TakeDirty(p);
        }
        return md;
    }

    public void WriteSuperblock(Superblock sb)
    {
        lock (_gate)
        {
            sb.Write(_payload);
            _records.Write(MetadataLayout.SuperblockRecord, RecordKind.Superblock, _payload);
            Superblock = sb;
        }
    }

    public void WriteActivityLog(ReadOnlySpan<int> extents)
    {
        lock (_gate)
        {
            ActivityLogRecord.Write(extents, _payload);
            _records.Write(MetadataLayout.ActivityLogRecordIndex, RecordKind.ActivityLog, _payload);
        }
    }

    /// <summary>Writes back the bitmap pages changed since they were last written; returns how many.</summary>
    public int WriteDirtyBitmapPages()
    {
        lock (_gate)
        {
            var n = 0;
            for (var p = 0; p < Bitmap.Pages; p++)
            {
                if (Bitmap.TakeDirty(p))
                {
                    Bitmap.ReadPage(p, _payload);
                    _records.Write(MetadataLayout.FirstBitmapRecord + p, RecordKind.BitmapPage, _payload);
                    n++;
                }
            }
            return n;
        }
    }

    /// <summary>Persists a superblock change and makes it durable (with any bitmap pages changed so far).</summary>
    public void Commit(Superblock sb)
    {
        WriteDirtyBitmapPages();
        WriteSuperblock(sb);
        Flush();
    }

    public void Flush() => _store.Flush();
}
