namespace Tandem.Volumes.Metadata;

/// <summary>
/// DRBD's generation identifiers. <see cref="Current"/> names the data generation this replica holds;
/// <see cref="Bitmap"/> is the generation the out-of-sync bitmap counts from (0 when not tracking);
/// <see cref="History1"/>/<see cref="History2"/> are the two generations before. 0 means none.
/// </summary>
public readonly record struct GenerationIds(ulong Current, ulong Bitmap, ulong History1, ulong History2)
{
    /// <summary>A new data generation starts (a Primary without its peer): the bitmap counts from the old one.</summary>
    public GenerationIds NewCurrent(ulong fresh) =>
        Bitmap == 0 ? this with { Current = fresh, Bitmap = Current } : this with { Current = fresh };

    /// <summary>A sync source whose bitmap is empty again: the tracked generation goes to history.</summary>
    public GenerationIds BitmapDone() =>
        Bitmap == 0 ? this : new GenerationIds(Current, 0, Bitmap, History1);

    /// <summary>A sync target that finished: it now holds the source's generation and history.</summary>
    public static GenerationIds AdoptFrom(GenerationIds source) => source.BitmapDone();

    public override string ToString() => $"{Current:X16}:{Bitmap:X16}:{History1:X16}:{History2:X16}";
}
