using System.Buffers.Binary;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Service;

namespace Tandem.Volumes.Tests.Metadata;

/// <summary>
/// Metadata written by a newer Tandem (a downgrade) is refused with its version named, never read as
/// missing or lost: create-md without --force must not overwrite it.
/// </summary>
public sealed class MetadataFormatVersionTests : IDisposable
{
    private const long Size = 300L << 20;
    private static readonly MetadataLayout Layout = new(Size, 0);
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-mdformat-").FullName;

    /// <summary>Rewrites the written slots of a record as a newer Tandem would: same layout, higher version, valid checksum.</summary>
    private static void StampVersion(byte[] image, MetadataLayout layout, int record, ushort version)
    {
        var stamped = 0;
        for (var slot = 0; slot < 2; slot++)
        {
            var bytes = image.AsSpan((int)layout.SlotOffset(record, slot), MetadataLayout.RecordSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != DoubleBufferedRecords.Magic)
            {
                continue;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[6..], version);
            var crc = Crc32C.Compute(bytes[MetadataLayout.HeaderSize..], Crc32C.Compute(bytes[..28]));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[28..], crc);
            stamped++;
        }
        Assert.True(stamped > 0, $"record {record} was never written");
    }

    /// <summary>Fresh metadata whose given record then gets a newer format version.</summary>
    private static MemoryBlockStore NewerStore(int record, ushort version)
    {
        var store = new MemoryBlockStore((int)Layout.TotalBytes);
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.Commit(md.Superblock);
        var image = new byte[Layout.TotalBytes];
        store.Read(0, image);
        StampVersion(image, Layout, record, version);
        store.Write(0, image);
        store.Flush();
        return store;
    }

    [Fact]
    public void A_superblock_of_a_newer_format_is_refused_naming_both_versions()
    {
        var store = NewerStore(MetadataLayout.SuperblockRecord, 2);
        var e = Assert.Throws<NewerMetadataFormatException>(() => MetadataStore.Open(store, Layout, "vol"));
        Assert.Equal(2, e.FoundVersion);
        Assert.Equal($"vol: metadata format version 2 was written by a newer Tandem (this one reads version {DoubleBufferedRecords.FormatVersion}); upgrade Tandem on this node, do not recreate the metadata", e.Message);
    }

    [Fact]
    public void A_bitmap_page_of_a_newer_format_is_refused_rather_than_counted_lost()
    {
        var store = NewerStore(MetadataLayout.FirstBitmapRecord + 2, 7);
        Assert.Equal(7, Assert.Throws<NewerMetadataFormatException>(() => MetadataStore.Open(store, Layout, "vol")).FoundVersion);
    }

    [Fact]
    public void Create_md_keeps_newer_metadata_unless_forced()
    {
        var disk = Path.Combine(_dir, "vol.img");
        var def = DefinitionFile.Parse($$"""
            { "name": "vol", "size": "1M", "secret": "0123456789abcdef",
              "replicas": [ { "node": "a", "address": "127.0.0.1:7000", "disk": "{{disk}}" },
                            { "node": "b", "address": "127.0.0.1:7001", "disk": "/b" } ] }
            """, "vol.json");
        Volume.CreateMetadata(def, "a", force: false);
        var image = File.ReadAllBytes(disk);
        StampVersion(image, new MetadataLayout(def.SizeBytes, def.SizeBytes), MetadataLayout.SuperblockRecord, 2);
        File.WriteAllBytes(disk, image);

        var e = Assert.Throws<NewerMetadataFormatException>(() => Volume.CreateMetadata(def, "a", force: false));
        Assert.StartsWith("vol: metadata format version 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(image, File.ReadAllBytes(disk));
        Volume.CreateMetadata(def, "a", force: true);
        Assert.NotEqual(image, File.ReadAllBytes(disk));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
