using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.DataPlane;

/// <summary>
/// A replica's backing disk (block device or file), opened with O_DIRECT so data goes to the device and
/// not the page cache; <see cref="Flush"/> (fdatasync) makes every earlier write durable.
/// </summary>
public sealed unsafe class BackingDisk : IDisposable
{
    private readonly AlignedBuffer _recordBuffer = new(MetadataLayout.RecordSize);
    private int _fd;

    private BackingDisk(string path, int fd, bool direct)
    {
        Path = path;
        _fd = fd;
        Direct = direct;
        SizeBytes = Libc.Lseek(fd, 0, 2);
    }

    public string Path { get; }

    public bool Direct { get; }

    public long SizeBytes { get; }

    public int Fd => _fd;

    /// <summary>Opens the disk; a missing regular file is created with <paramref name="createBytes"/> (sparse) when given.</summary>
    public static BackingDisk Open(string path, long createBytes = 0)
    {
        if (createBytes > 0 && !File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            f.SetLength(createBytes);
        }
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_DIRECT | Libc.O_CLOEXEC, 0);
        var direct = true;
        if (fd < 0 && Libc.Errno == Libc.EINVAL)
        {
            // File systems without O_DIRECT (tmpfs): buffered I/O, still made durable by fdatasync.
            fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
            direct = false;
        }
        if (fd < 0)
        {
            throw new IOException($"{path}: cannot open: {Libc.Describe(Libc.Errno)}");
        }
        return new BackingDisk(path, fd, direct);
    }

    /// <summary>Grows a regular file (never a device) to at least <paramref name="bytes"/>.</summary>
    public void EnsureFileSize(long bytes)
    {
        if (SizeBytes < bytes && File.Exists(Path) && (File.GetAttributes(Path) & FileAttributes.Device) == 0)
        {
            if (Libc.Ftruncate(_fd, bytes) != 0)
            {
                throw new IOException($"{Path}: cannot grow to {bytes} bytes: {Libc.Describe(Libc.Errno)}");
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (zeros past the end); returns 0 or a positive errno.</summary>
    public int Read(byte* buffer, int count, long offset)
    {
        var done = 0;
        while (done < count)
        {
            var n = Libc.Pread(_fd, buffer + done, (nuint)(count - done), offset + done);
            if (n < 0)
            {
                var e = Libc.Errno;
                if (e == Libc.EINTR)
                {
                    continue;
                }
                return e;
            }
            if (n == 0)
            {
                new Span<byte>(buffer + done, count - done).Clear();
                return 0;
            }
            done += (int)n;
        }
        return 0;
    }

    /// <summary>Writes exactly <paramref name="count"/> bytes; returns 0 or a positive errno.</summary>
    public int Write(byte* buffer, int count, long offset)
    {
        var done = 0;
        while (done < count)
        {
            var n = Libc.Pwrite(_fd, buffer + done, (nuint)(count - done), offset + done);
            if (n < 0)
            {
                var e = Libc.Errno;
                if (e == Libc.EINTR)
                {
                    continue;
                }
                return e;
            }
            done += (int)n;
        }
        return 0;
    }

    public int Flush() => Libc.Fdatasync(_fd) == 0 ? 0 : Libc.Errno;

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Libc.Close(fd);
        }
        _recordBuffer.Dispose();
    }

    /// <summary>The metadata area of this disk (internal metadata, or an external metadata file) as an <see cref="IBlockStore"/>.</summary>
    public IBlockStore AsBlockStore() => new Store(this);

    private sealed class Store(BackingDisk disk) : IBlockStore
    {
        private readonly AlignedBuffer _buffer = disk._recordBuffer;

        public void Read(long offset, Span<byte> buffer)
        {
            lock (_buffer)
            {
                for (var done = 0; done < buffer.Length; done += MetadataLayout.RecordSize)
                {
                    var n = Math.Min(MetadataLayout.RecordSize, buffer.Length - done);
                    Check(disk.Read(_buffer.Pointer, MetadataLayout.RecordSize, offset + done), "read");
                    _buffer.Span[..n].CopyTo(buffer[done..]);
                }
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> buffer)
        {
            lock (_buffer)
            {
                for (var done = 0; done < buffer.Length; done += MetadataLayout.RecordSize)
                {
                    var n = Math.Min(MetadataLayout.RecordSize, buffer.Length - done);
                    _buffer.Span.Clear();
                    buffer.Slice(done, n).CopyTo(_buffer.Span);
                    Check(disk.Write(_buffer.Pointer, MetadataLayout.RecordSize, offset + done), "write");
                }
            }
        }

        public void Flush() => Check(disk.Flush(), "flush");

        private void Check(int errno, string what)
        {
            if (errno != 0)
            {
                throw new IOException($"{disk.Path}: metadata {what} failed: {Libc.Describe(errno)}");
            }
        }
    }
}
