using System.Buffers.Binary;

namespace Tandem.Volumes.Metadata;

/// <summary>The on-disk form of the activity log: the 4 MiB extents a Primary may be writing to.</summary>
public static class ActivityLogRecord
{
    public const int ExtentBytes = 4 << 20;
    public const int MaxExtents = (MetadataLayout.PayloadSize - 4) / 4;

    public static void Write(ReadOnlySpan<int> extents, Span<byte> payload)
    {
        payload.Clear();
        var n = 0;
        foreach (var e in extents)
        {
            if (e >= 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(payload[(4 + (4 * n++))..], e);
            }
        }
        BinaryPrimitives.WriteInt32LittleEndian(payload, n);
    }

    public static int[] Read(ReadOnlySpan<byte> payload)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (n is < 0 or > MaxExtents)
        {
            throw new InvalidDataException($"activity log holds {n} extents (at most {MaxExtents})");
        }
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = BinaryPrimitives.ReadInt32LittleEndian(payload[(4 + (4 * i))..]);
        }
        return result;
    }
}
