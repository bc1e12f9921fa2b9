using System.Buffers.Binary;
using System.Numerics;

namespace Tandem.Volumes.Metadata;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU has it; used for metadata slots and frame headers.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
