using System.Buffers.Binary;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Protocol;

/// <summary>A replica's state as sent at handshake and on every role or disk change.</summary>
public sealed record StateMessage(long SizeBytes, ReplicationProtocol Protocol, ReplicaView View, DiskState Disk)
{
    public const int Size = 8 + 32 + 8 + 4;

    public byte[] Encode()
    {
        var b = new byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(b, SizeBytes);
        var ids = View.Ids;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), ids.Current);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), ids.Bitmap);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), ids.History1);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(32), ids.History2);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(40), View.OutOfSyncBlocks);
        b[48] = (byte)Protocol;
        b[49] = (byte)View.Role;
        b[50] = (byte)Disk;
        b[51] = (byte)((View.CrashedPrimary ? 1 : 0) | (View.DiscardMyData ? 2 : 0));
        return b;
    }

    public static StateMessage Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length != Size)
        {
            throw new ProtocolViolationException($"state of {b.Length} bytes (expected {Size})");
        }
        var protocol = (ReplicationProtocol)b[48];
        var role = (Role)b[49];
        var disk = (DiskState)b[50];
        if (!Enum.IsDefined(protocol) || !Enum.IsDefined(role) || !Enum.IsDefined(disk) || b[51] > 3)
        {
            throw new ProtocolViolationException("state with an unknown protocol, role, disk state or flag");
        }
        var size = BinaryPrimitives.ReadInt64LittleEndian(b);
        var outOfSync = BinaryPrimitives.ReadInt64LittleEndian(b[40..]);
        if (size <= 0 || outOfSync < 0)
        {
            throw new ProtocolViolationException("state with a negative size or count");
        }
        var ids = new GenerationIds(
            BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[24..]), BinaryPrimitives.ReadUInt64LittleEndian(b[32..]));
        return new StateMessage(size, protocol, new ReplicaView(ids, role, (b[51] & 1) != 0, (b[51] & 2) != 0, outOfSync), disk);
    }

    public static byte[] EncodeIds(GenerationIds ids)
    {
        var b = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(b, ids.Current);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), ids.Bitmap);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), ids.History1);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), ids.History2);
        return b;
    }

    public static GenerationIds DecodeIds(ReadOnlySpan<byte> b) => b.Length != 32
        ? throw new ProtocolViolationException($"generation ids of {b.Length} bytes")
        : new GenerationIds(BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt64LittleEndian(b[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
}
