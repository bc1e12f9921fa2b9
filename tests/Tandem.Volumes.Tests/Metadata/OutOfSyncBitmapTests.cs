using FsCheck;
using FsCheck.Fluent;
using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Tests.Metadata;

public class OutOfSyncBitmapTests
{
    private const int Blocks = 1000;

    [Fact]
    public void Ranges_behave_like_a_simple_model()
    {
        var op = from set in Gen.Elements(true, false)
                 from offset in Gen.Choose(0, Blocks * 4096)
                 from len in Gen.Choose(0, 64 * 4096)
                 select (set, offset, len);
        Check.QuickThrowOnFailure(Prop.ForAll(Arb.From(Gen.ListOf(op)), ops =>
        {
            var bitmap = new OutOfSyncBitmap(Blocks);
            var model = new bool[Blocks];
            foreach (var (set, offset, len) in ops)
            {
                var length = Math.Min(len, (Blocks * 4096) - offset);
                if (set)
                {
                    bitmap.SetRange(offset, length);
                    for (long b = offset / 4096; length > 0 && b <= (offset + length - 1) / 4096; b++)
                    {
                        model[b] = true;
                    }
                }
                else
                {
                    bitmap.ClearRange(offset, length);
                    for (long b = (offset + 4095) / 4096; b < (offset + length) / 4096; b++)
                    {
                        model[b] = false;
                    }
                }
            }
            var expectedNext = Array.IndexOf(model, true);
            return bitmap.Count == model.Count(x => x)
                && Enumerable.Range(0, Blocks).All(b => bitmap.IsSet(b) == model[b])
                && bitmap.NextSet(0) == expectedNext;
        }));
    }

    [Fact]
    public void A_partial_block_write_does_not_clear_the_block()
    {
        var bitmap = new OutOfSyncBitmap(Blocks);
        bitmap.SetAll();
        bitmap.ClearRange(512, 8192);
        Assert.True(bitmap.IsSet(0));
        Assert.False(bitmap.IsSet(1));
        Assert.True(bitmap.IsSet(2));
    }

    [Fact]
    public void Merging_pages_gives_the_union_and_counts_it()
    {
        var a = new OutOfSyncBitmap(100_000);
        var b = new OutOfSyncBitmap(100_000);
        a.SetRange(0, 10 * 4096);
        b.SetRange(5 * 4096, 10 * 4096);
        b.SetRange(99_999L * 4096, 4096);
        var page = new byte[MetadataLayout.PayloadSize];
        for (var p = 0; p < b.Pages; p++)
        {
            b.ReadPage(p, page);
            a.MergePage(p, page);
        }
        Assert.Equal(16, a.Count);
        Assert.Equal(99_999, a.NextSet(15));
        Assert.Equal(-1, a.NextSet(100_000));
        Assert.Equal(10, a.RunLength(5, 64));
    }

    [Fact]
    public void Bits_past_the_end_never_count()
    {
        var a = new OutOfSyncBitmap(70);
        var page = new byte[MetadataLayout.PayloadSize];
        Array.Fill(page, (byte)0xFF);
        a.MergePage(0, page);
        Assert.Equal(70, a.Count);
        a.LoadPage(0, page);
        Assert.Equal(70, a.Count);
    }
}
