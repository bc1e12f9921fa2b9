using System.Runtime.InteropServices;

namespace Tandem.Volumes.DataPlane;

/// <summary>Page-aligned native memory, allocated once and touched at once so the I/O path never faults it in.</summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    public const int PageSize = 4096;

    public AlignedBuffer(int bytes)
    {
        Length = bytes;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, PageSize);
        new Span<byte>(Pointer, bytes).Clear();
    }

    public byte* Pointer { get; private set; }

    public int Length { get; }

    public Span<byte> Span => new(Pointer, Length);

    public void Dispose()
    {
        if (Pointer != null)
        {
            NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
    }
}
