using System.Runtime.InteropServices;

namespace Tandem.Corosync.Native;

/// <summary>libcmap (corosync/cmap.h): corosync's configuration and runtime key-value map.</summary>
internal static unsafe partial class Cmap
{
    private const string Library = "libcmap.so.4";

    /// <summary>CMAP_KEYNAME_MAXLEN; a key buffer needs one more byte for the terminating NUL.</summary>
    public const int KeyNameMaxLength = 255;

    /// <summary>cmap_value_types_t.</summary>
    public enum ValueType
    {
        Int8 = 1,
        UInt8 = 2,
        Int16 = 3,
        UInt16 = 4,
        Int32 = 5,
        UInt32 = 6,
        Int64 = 7,
        UInt64 = 8,
        Float = 9,
        Double = 10,
        String = 11,
        Binary = 12,
    }

    [LibraryImport(Library, EntryPoint = "cmap_initialize")]
    public static partial CsError Initialize(ulong* handle);

    [LibraryImport(Library, EntryPoint = "cmap_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "cmap_get", StringMarshalling = StringMarshalling.Utf8)]
    public static partial CsError Get(ulong handle, string keyName, void* value, nuint* valueLength, ValueType* type);

    [LibraryImport(Library, EntryPoint = "cmap_iter_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial CsError IterInit(ulong handle, string prefix, ulong* iterHandle);

    [LibraryImport(Library, EntryPoint = "cmap_iter_next")]
    public static partial CsError IterNext(ulong handle, ulong iterHandle, byte* keyName, nuint* valueLength, ValueType* type);

    [LibraryImport(Library, EntryPoint = "cmap_iter_finalize")]
    public static partial CsError IterFinalize(ulong handle, ulong iterHandle);
}
