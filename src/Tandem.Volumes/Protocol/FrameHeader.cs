using System.Buffers.Binary;
using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Protocol;

/// <summary>
/// The 32-byte header of every peer frame: magic, version, type, flags, sequence number, a per-type
/// argument, payload length, and a CRC-32C of the header. Each direction numbers its frames 1, 2, 3, ...
/// so a lost, repeated or injected frame is noticed.
/// </summary>
public readonly record struct FrameHeader(MessageType Type, ulong Sequence, ulong Arg, int Length, ushort Flags = 0)
{
    public const int Size = 32;
    public const uint Magic = 0x4D444E54; // "TNDM"
    public const byte Version = 1;

    /// <summary>Largest payload: one FUSE write (1 MiB).</summary>
    public const int MaxDataPayload = 1 << 20;

    /// <summary>Largest payload of a control frame.</summary>
    public const int MaxControlPayload = 4096;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = Version;
        destination[5] = (byte)Type;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Arg);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Parses and checks a header; throws <see cref="ProtocolViolationException"/> on anything wrong.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ProtocolViolationException($"short frame header ({source.Length} bytes)");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            throw new ProtocolViolationException("bad frame magic");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            throw new ProtocolViolationException("frame header checksum mismatch");
        }
        if (source[4] != Version)
        {
            throw new ProtocolViolationException($"frame version {source[4]} (this side speaks {Version})");
        }
        var type = (MessageType)source[5];
        if (!Enum.IsDefined(type))
        {
            throw new ProtocolViolationException($"unknown frame type {source[5]}");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(source[24..]);
        var max = type is MessageType.Write or MessageType.ResyncData ? MaxDataPayload : MaxControlPayload;
        if (length < 0 || length > max)
        {
            throw new ProtocolViolationException($"{type} frame of {length} bytes (at most {max})");
        }
        if (type is MessageType.Write or MessageType.ResyncData && length % 512 != 0)
        {
            throw new ProtocolViolationException($"{type} frame of {length} bytes is not whole sectors");
        }
        return new FrameHeader(type, BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[16..]), length, BinaryPrimitives.ReadUInt16LittleEndian(source[6..]));
    }
}
