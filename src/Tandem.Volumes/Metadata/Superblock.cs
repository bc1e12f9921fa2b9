using System.Buffers.Binary;
using System.Text;

namespace Tandem.Volumes.Metadata;

/// <summary>The replica's identity and generation: size, generation identifiers, flags.</summary>
public sealed record Superblock
{
    public required string VolumeName { get; init; }

    public required long SizeBytes { get; init; }

    public required int AlExtents { get; init; }

    public GenerationIds Ids { get; init; }

    public MetadataFlags Flags { get; init; }

    public bool Has(MetadataFlags f) => (Flags & f) == f;

    public Superblock With(MetadataFlags f, bool on) => this with { Flags = on ? Flags | f : Flags & ~f };

    internal void Write(Span<byte> payload)
    {
        payload.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(payload, SizeBytes);
        BinaryPrimitives.WriteInt32LittleEndian(payload[8..], AlExtents);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[12..], (uint)Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[16..], Ids.Current);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[24..], Ids.Bitmap);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[32..], Ids.History1);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[40..], Ids.History2);
        var name = Encoding.UTF8.GetBytes(VolumeName);
        payload[48] = (byte)name.Length;
        name.CopyTo(payload[49..]);
    }

    internal static Superblock Read(ReadOnlySpan<byte> payload) => new()
    {
        SizeBytes = BinaryPrimitives.ReadInt64LittleEndian(payload),
        AlExtents = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]),
        Flags = (MetadataFlags)BinaryPrimitives.ReadUInt32LittleEndian(payload[12..]),
        Ids = new GenerationIds(
            BinaryPrimitives.ReadUInt64LittleEndian(payload[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[40..])),
        VolumeName = Encoding.UTF8.GetString(payload.Slice(49, Math.Min((int)payload[48], 64))),
    };
}
