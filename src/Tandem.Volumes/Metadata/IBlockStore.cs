namespace Tandem.Volumes.Metadata;

/// <summary>
/// Where metadata records live: a region of the backing disk (internal) or a file or device of its own
/// (external). Offsets and lengths are multiples of 4 KiB; <see cref="Flush"/> makes earlier writes durable.
/// </summary>
public interface IBlockStore
{
    void Read(long offset, Span<byte> buffer);

    void Write(long offset, ReadOnlySpan<byte> buffer);

    void Flush();
}
