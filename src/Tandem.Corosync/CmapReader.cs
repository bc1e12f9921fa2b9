using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>Typed reads from cmap into caller-owned buffers (no memory allocated by libcmap to free).</summary>
internal readonly unsafe struct CmapReader(ulong handle)
{
    private const int ValueBufferBytes = 4096;

    /// <summary>A string key, or null when the key does not exist.</summary>
    public string? GetString(string key) =>
        Read(key) is { Type: Cmap.ValueType.String } value ? value.Text : null;

    /// <summary>An unsigned 32-bit key (as corosync stores node ids and votes), or null when it does not exist.</summary>
    public uint? GetUInt32(string key) => Read(key) switch
    {
        { Type: Cmap.ValueType.UInt32 } value => BinaryPrimitives.ReadUInt32LittleEndian(value.Bytes),
        { Type: Cmap.ValueType.UInt16 } value => BinaryPrimitives.ReadUInt16LittleEndian(value.Bytes),
        { Type: Cmap.ValueType.UInt8 } value => value.Bytes[0],
        _ => null,
    };

    /// <summary>Every key under <paramref name="prefix"/> with its value as text.</summary>
    public IReadOnlyList<(string Key, string Value)> ReadPrefix(string prefix)
    {
        var keys = new List<string>();
        ulong iterator;
        Check(Cmap.IterInit(handle, prefix, &iterator), "cmap_iter_init");
        try
        {
            var name = stackalloc byte[Cmap.KeyNameMaxLength + 1];
            while (true)
            {
                nuint length;
                Cmap.ValueType type;
                var error = Cmap.IterNext(handle, iterator, name, &length, &type);
                if (error == CsError.NoSections)
                {
                    break;
                }
                Check(error, "cmap_iter_next");
                keys.Add(Marshal.PtrToStringUTF8((nint)name) ?? "");
            }
        }
        finally
        {
            Cmap.IterFinalize(handle, iterator);
        }
        var values = new List<(string, string)>();
        foreach (var key in keys)
        {
            if (Read(key) is { } value)
            {
                values.Add((key, value.Text));
            }
        }
        return values;
    }

    private CmapValue? Read(string key)
    {
        var buffer = new byte[ValueBufferBytes];
        nuint length = (nuint)buffer.Length;
        Cmap.ValueType type;
        CsError error;
        fixed (byte* value = buffer)
        {
            error = Cmap.Get(handle, key, value, &length, &type);
        }
        if (error == CsError.NotExist)
        {
            return null;
        }
        Check(error, $"cmap_get {key}");
        return new CmapValue(type, buffer.AsSpan(0, (int)length).ToArray());
    }

    private static void Check(CsError error, string call) => CorosyncException.ThrowIfFailed(error, call);

    private sealed record CmapValue(Cmap.ValueType Type, byte[] Bytes)
    {
        public string Text => Type switch
        {
            Cmap.ValueType.Int8 => ((sbyte)Bytes[0]).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.UInt8 => Bytes[0].ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.Float => BinaryPrimitives.ReadSingleLittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            Cmap.ValueType.Double => BinaryPrimitives.ReadDoubleLittleEndian(Bytes).ToString(CultureInfo.InvariantCulture),
            // corosync counts the terminating NUL in a string's length.
            Cmap.ValueType.String => Encoding.UTF8.GetString(Bytes).TrimEnd('\0'),
            _ => Convert.ToHexString(Bytes),
        };
    }
}
