using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Tests.Metadata;

public class MetadataStoreTests
{
    private const long Size = 300L << 20; // 3 bitmap pages
    private static readonly MetadataLayout Layout = new(Size, 0);

    private static MemoryBlockStore NewStore() => new((int)Layout.TotalBytes);

    [Fact]
    public void Create_md_starts_with_no_generation_and_everything_out_of_sync()
    {
        var store = NewStore();
        MetadataStore.Create(store, Layout, "vol", 257);
        var md = MetadataStore.Open(store, Layout, "vol");
        Assert.Equal(0UL, md.Superblock.Ids.Current);
        Assert.False(md.Superblock.Has(MetadataFlags.Consistent));
        Assert.Equal(Layout.Blocks, md.Bitmap.Count);
        Assert.Equal(257, md.Superblock.AlExtents);
        Assert.Equal(3, Layout.BitmapPages);
    }

    [Fact]
    public void Superblock_activity_log_and_bitmap_survive_a_reopen()
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.Bitmap.ClearAll();
        md.Bitmap.SetRange(5 * 4096, 3 * 4096);
        md.Bitmap.SetRange(Size - 4096, 4096);
        md.WriteActivityLog([3, 9, 70]);
        md.Commit(md.Superblock.With(MetadataFlags.Consistent, true) with { Ids = new GenerationIds(11, 22, 33, 44) });
        var again = MetadataStore.Open(store, Layout, "vol");
        Assert.Equal(new GenerationIds(11, 22, 33, 44), again.Superblock.Ids);
        Assert.True(again.Superblock.Has(MetadataFlags.Consistent));
        Assert.Equal([3, 9, 70], again.LoadedActivityLog);
        Assert.Equal(4, again.Bitmap.Count);
        Assert.True(again.Bitmap.IsSet(7));
        Assert.False(again.Bitmap.IsSet(8));
        Assert.True(again.Bitmap.IsSet(Layout.Blocks - 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(30)]
    [InlineData(60)]
    public void A_torn_superblock_write_keeps_the_last_good_copy(int keepBytes)
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.Commit(md.Superblock with { Ids = new GenerationIds(1, 0, 0, 0) });
        md.Commit(md.Superblock with { Ids = new GenerationIds(2, 1, 0, 0) });
        md.WriteSuperblock(md.Superblock with { Ids = new GenerationIds(3, 1, 0x1111111111111111, 0x2222222222222222) });
        store.Crash(keepBytes);
        var again = MetadataStore.Open(store, Layout, "vol");
        Assert.Equal(new GenerationIds(2, 1, 0, 0), again.Superblock.Ids);
    }

    [Fact]
    public void A_completed_but_unflushed_write_that_reached_the_disk_is_used()
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.WriteSuperblock(md.Superblock with { Ids = new GenerationIds(7, 0, 0, 0) });
        store.Crash(keepBytes: MetadataLayout.RecordSize);
        Assert.Equal(7UL, MetadataStore.Open(store, Layout, "vol").Superblock.Ids.Current);
    }

    [Fact]
    public void Writes_alternate_slots_so_a_corrupted_newest_copy_falls_back()
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.Commit(md.Superblock with { Ids = new GenerationIds(1, 0, 0, 0) });
        md.Commit(md.Superblock with { Ids = new GenerationIds(2, 0, 0, 0) });
        // Create wrote slot 0, then slot 1 (ids 1), then slot 0 (ids 2): damage slot 0.
        store.Corrupt(Layout.SlotOffset(MetadataLayout.SuperblockRecord, 0) + 100);
        Assert.Equal(1UL, MetadataStore.Open(store, Layout, "vol").Superblock.Ids.Current);
    }

    [Fact]
    public void A_bitmap_page_with_both_copies_lost_counts_as_all_out_of_sync()
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        md.Bitmap.ClearAll();
        md.Commit(md.Superblock);
        store.Corrupt(Layout.SlotOffset(MetadataLayout.FirstBitmapRecord + 1, 0) + 40);
        store.Corrupt(Layout.SlotOffset(MetadataLayout.FirstBitmapRecord + 1, 1) + 40);
        var again = MetadataStore.Open(store, Layout, "vol");
        Assert.Equal(1, again.LostBitmapPages);
        Assert.Equal(MetadataLayout.BitsPerPage, again.Bitmap.Count);
        Assert.True(again.Bitmap.IsSet(MetadataLayout.BitsPerPage));
        Assert.False(again.Bitmap.IsSet(0));
    }

    [Fact]
    public void Missing_or_foreign_metadata_is_a_one_line_error()
    {
        var store = NewStore();
        var e = Assert.Throws<InvalidDataException>(() => MetadataStore.Open(store, Layout, "vol"));
        Assert.Equal("vol: no valid Tandem metadata found (run 'tandem volume create-md vol')", e.Message);
        MetadataStore.Create(store, Layout, "other", 64);
        e = Assert.Throws<InvalidDataException>(() => MetadataStore.Open(store, Layout, "vol"));
        Assert.Equal("vol: the metadata belongs to volume 'other'", e.Message);
        e = Assert.Throws<InvalidDataException>(() => MetadataStore.Open(store, new MetadataLayout(Size - 4096, 0), "other"));
        Assert.Contains("differs from the definition", e.Message);
    }

    [Fact]
    public void Only_changed_bitmap_pages_are_written_back()
    {
        var store = NewStore();
        var md = MetadataStore.Create(store, Layout, "vol", 64);
        Assert.Equal(0, md.WriteDirtyBitmapPages());
        md.Bitmap.ClearRange(0, 4096);
        md.Bitmap.ClearRange((long)MetadataLayout.BitsPerPage * 2 * 4096, 4096);
        Assert.Equal(2, md.WriteDirtyBitmapPages());
        Assert.Equal(0, md.WriteDirtyBitmapPages());
    }
}
