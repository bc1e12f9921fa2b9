using System.Buffers.Binary;
using System.Text;

namespace Tandem.Volumes.Protocol;

/// <summary>First frame in each direction: who is speaking, about which volume, and a fresh challenge nonce.</summary>
public sealed record HelloMessage(ushort MinVersion, ushort MaxVersion, string Node, string Volume, byte[] Nonce)
{
    public const int NonceSize = 32;

    public byte[] Encode()
    {
        var node = Encoding.UTF8.GetBytes(Node);
        var volume = Encoding.UTF8.GetBytes(Volume);
        var b = new byte[4 + NonceSize + 2 + node.Length + volume.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(b, MinVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), MaxVersion);
        Nonce.CopyTo(b, 4);
        b[4 + NonceSize] = (byte)node.Length;
        b[5 + NonceSize] = (byte)volume.Length;
        node.CopyTo(b, 6 + NonceSize);
        volume.CopyTo(b, 6 + NonceSize + node.Length);
        return b;
    }

    public static HelloMessage Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length < 6 + NonceSize)
        {
            throw new ProtocolViolationException($"hello of {b.Length} bytes is too short");
        }
        int nodeLength = b[4 + NonceSize], volumeLength = b[5 + NonceSize];
        if (b.Length != 6 + NonceSize + nodeLength + volumeLength || nodeLength > 64 || volumeLength > 64)
        {
            throw new ProtocolViolationException("hello lengths do not add up");
        }
        return new HelloMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(b),
            BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
            Encoding.UTF8.GetString(b.Slice(6 + NonceSize, nodeLength)),
            Encoding.UTF8.GetString(b.Slice(6 + NonceSize + nodeLength, volumeLength)),
            b.Slice(4, NonceSize).ToArray());
    }
}
