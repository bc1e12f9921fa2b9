using System.Buffers.Binary;

namespace Tandem.Volumes.Metadata;

/// <summary>
/// Crash-safe records: each record has two slots; a write goes to the slot that does not hold the newest
/// good copy, with a higher sequence number and a CRC-32C, then is flushed. A torn or lost write leaves
/// the other slot, the last good copy, to be read.
/// </summary>
public sealed class DoubleBufferedRecords(IBlockStore store, MetadataLayout layout)
{
    public const uint Magic = 0x444D4E54; // "TNMD"
    public const ushort FormatVersion = 1;

    private readonly ulong[] _sequence = new ulong[layout.Records];
    private readonly int[] _newestSlot = new int[layout.Records];
    private readonly byte[] _slot = GC.AllocateArray<byte>(MetadataLayout.RecordSize, pinned: true);
    private readonly Lock _gate = new();

    public MetadataLayout Layout => layout;

    /// <summary>Reads the newest good copy of a record into <paramref name="payload"/>; false when neither slot is good.</summary>
    /// <exception cref="NewerMetadataFormatException">A slot is intact but written in a newer format: it must not be taken for lost.</exception>
    public bool TryRead(int record, RecordKind kind, Span<byte> payload)
    {
        lock (_gate)
        {
            var best = -1;
            ulong bestSeq = 0;
            for (var slot = 0; slot < 2; slot++)
            {
                store.Read(layout.SlotOffset(record, slot), _slot);
                if (Intact(_slot, record, kind) && BinaryPrimitives.ReadUInt16LittleEndian(_slot.AsSpan(6)) is var version && version > FormatVersion)
                {
                    throw new NewerMetadataFormatException(version);
                }
                if (Valid(_slot, record, kind, out var seq) && (best < 0 || seq > bestSeq))
                {
                    best = slot;
                    bestSeq = seq;
                }
            }
            _sequence[record] = bestSeq;
            _newestSlot[record] = best < 0 ? 1 : best;
            if (best < 0)
            {
                return false;
            }
            store.Read(layout.SlotOffset(record, best), _slot);
            _slot.AsSpan(MetadataLayout.HeaderSize, MetadataLayout.PayloadSize).CopyTo(payload);
            return true;
        }
    }

    /// <summary>Writes a record into its older slot; durable when <see cref="IBlockStore.Flush"/> has been called.</summary>
    public void Write(int record, RecordKind kind, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MetadataLayout.PayloadSize)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "record payload larger than a slot");
        }
        lock (_gate)
        {
            var seq = _sequence[record] + 1;
            var slot = 1 - _newestSlot[record];
            Array.Clear(_slot);
            BinaryPrimitives.WriteUInt32LittleEndian(_slot, Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(_slot.AsSpan(4), (ushort)kind);
            BinaryPrimitives.WriteUInt16LittleEndian(_slot.AsSpan(6), FormatVersion);
            BinaryPrimitives.WriteUInt64LittleEndian(_slot.AsSpan(8), seq);
            BinaryPrimitives.WriteInt32LittleEndian(_slot.AsSpan(16), record);
            payload.CopyTo(_slot.AsSpan(MetadataLayout.HeaderSize));
            BinaryPrimitives.WriteUInt32LittleEndian(_slot.AsSpan(28), Checksum(_slot));
            store.Write(layout.SlotOffset(record, slot), _slot);
            _sequence[record] = seq;
            _newestSlot[record] = slot;
        }
    }

    /// <summary>Destroys both slots of every record (a fresh create-md must not find stale records).</summary>
    public void Wipe()
    {
        lock (_gate)
        {
            Array.Clear(_slot);
            for (var r = 0; r < layout.Records; r++)
            {
                store.Write(layout.SlotOffset(r, 0), _slot);
                store.Write(layout.SlotOffset(r, 1), _slot);
                _sequence[r] = 0;
                _newestSlot[r] = 1;
            }
        }
    }

    private static uint Checksum(ReadOnlySpan<byte> slot) =>
        Crc32C.Compute(slot[MetadataLayout.HeaderSize..], Crc32C.Compute(slot[..28]));

    private static bool Valid(ReadOnlySpan<byte> slot, int record, RecordKind kind, out ulong seq)
    {
        seq = BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]);
        return Intact(slot, record, kind) && BinaryPrimitives.ReadUInt16LittleEndian(slot[6..]) == FormatVersion;
    }

    /// <summary>A whole record of this kind and index, whatever its format version (the checksum covers the version too).</summary>
    private static bool Intact(ReadOnlySpan<byte> slot, int record, RecordKind kind) =>
        BinaryPrimitives.ReadUInt32LittleEndian(slot) == Magic
        && BinaryPrimitives.ReadUInt16LittleEndian(slot[4..]) == (ushort)kind
        && BinaryPrimitives.ReadInt32LittleEndian(slot[16..]) == record
        && BinaryPrimitives.ReadUInt32LittleEndian(slot[28..]) == Checksum(slot);
}
