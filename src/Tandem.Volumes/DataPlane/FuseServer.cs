using System.Buffers.Binary;
using System.Text;

namespace Tandem.Volumes.DataPlane;

/// <summary>
/// A minimal FUSE file system spoken directly over /dev/fuse (no libfuse): one directory holding one
/// image file of the volume's size. Reader threads take preallocated request slots, so the I/O path
/// allocates nothing; metadata requests (lookup, getattr, ...) are answered inline.
/// </summary>
public sealed unsafe class FuseServer : IDisposable
{
    private const uint FuseKernelMajor = 7;
    private const uint FuseKernelMinor = 31;
    private const ulong RootNode = 1;
    private const ulong FileNode = 2;
    private const uint InitAsyncRead = 1u << 0;
    private const uint InitBigWrites = 1u << 5;
    private const uint InitAsyncDio = 1u << 15;
    private const uint InitMaxPages = 1u << 22;

    private enum Op : uint
    {
        Lookup = 1, Forget = 2, GetAttr = 3, SetAttr = 4, Open = 14, Read = 15, Write = 16, StatFs = 17,
        Release = 18, Fsync = 20, GetXAttr = 22, ListXAttr = 23, Flush = 25, Init = 26, OpenDir = 27,
        ReadDir = 28, ReleaseDir = 29, FsyncDir = 30, Access = 34, Interrupt = 36, Destroy = 38,
        BatchForget = 42, Fallocate = 43,
    }

    private readonly string _mountPoint;
    private readonly byte[] _fileName;
    private readonly long _sizeBytes;
    private readonly IFuseHandler _handler;
    private readonly FuseRequest[] _slots;
    private readonly Stack<FuseRequest> _free;
    private readonly Thread[] _readers;
    private readonly Action<string> _log;
    private int _fd = -1;
    private int _connection = -1;
    private long _allocatedBytes;
    private long _requests;
    private volatile bool _stopping;

    public FuseServer(string mountPoint, string fileName, long sizeBytes, IFuseHandler handler, int readers, int slots, int maxWrite, Action<string> log)
    {
        _mountPoint = mountPoint;
        _fileName = Encoding.UTF8.GetBytes(fileName);
        _sizeBytes = sizeBytes;
        _handler = handler;
        _log = log;
        MaxWrite = maxWrite;
        _slots = new FuseRequest[Math.Max(slots, readers + 2)];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new FuseRequest(i, maxWrite);
        }
        _free = new Stack<FuseRequest>(_slots.Reverse());
        _readers = new Thread[Math.Max(2, readers)];
    }

    public int MaxWrite { get; }

    public string ImagePath => Path.Combine(_mountPoint, Encoding.UTF8.GetString(_fileName));

    /// <summary>Bytes allocated on the reader threads after their first requests (should stay 0).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    public long Requests => Interlocked.Read(ref _requests);

    public FuseRequest Slot(int index) => _slots[index];

    public void Start()
    {
        Directory.CreateDirectory(_mountPoint);
        _fd = Libc.Open("/dev/fuse", Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        if (_fd < 0)
        {
            throw new IOException($"/dev/fuse: cannot open: {Libc.Describe(Libc.Errno)}");
        }
        if (Libc.Mount("tandem", _mountPoint, "fuse.tandem", Libc.MS_NOSUID | Libc.MS_NODEV,
                $"fd={_fd},rootmode=40000,user_id=0,group_id=0,allow_other") != 0)
        {
            var e = Libc.Errno;
            Libc.Close(_fd);
            _fd = -1;
            throw new IOException($"{_mountPoint}: FUSE mount failed: {Libc.Describe(e)}");
        }
        _connection = FindConnection(_mountPoint);
        for (var i = 0; i < _readers.Length; i++)
        {
            _readers[i] = new Thread(ReaderLoop) { IsBackground = true, Name = $"fuse-{i}" };
            _readers[i].Start();
        }
    }

    /// <summary>Unmounts (lazily), aborts the connection if requests are stuck, and joins the readers.</summary>
    public void Stop()
    {
        if (_fd < 0)
        {
            return;
        }
        _stopping = true;
        Libc.Umount2(_mountPoint, Libc.MNT_DETACH);
        foreach (var t in _readers)
        {
            if (t is not null && !t.Join(TimeSpan.FromSeconds(2)))
            {
                Abort();
                t.Join(TimeSpan.FromSeconds(5));
            }
        }
        Libc.Close(_fd);
        _fd = -1;
        try
        {
            Directory.Delete(_mountPoint);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Fails every pending and future request of this mount at once (fusectl abort).</summary>
    public void Abort()
    {
        if (_connection >= 0)
        {
            try
            {
                if (!Directory.Exists($"/sys/fs/fuse/connections/{_connection}"))
                {
                    // fusectl is not always mounted; it is the only way to abort a hung connection.
                    Libc.Mount("fusectl", "/sys/fs/fuse/connections", "fusectl", 0, "");
                }
                File.WriteAllText($"/sys/fs/fuse/connections/{_connection}/abort", "1");
            }
            catch (IOException)
            {
            }
        }
    }

    public void Dispose()
    {
        Stop();
        foreach (var s in _slots)
        {
            s.Dispose();
        }
    }

    /// <summary>Finishes a WRITE or FSYNC (error = positive errno or 0) and frees its slot.</summary>
    public void Complete(FuseRequest r)
    {
        var out16 = r.ReplyArea;
        if (r.Opcode == (uint)Op.Write && r.Error == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(out16 + 16, 4), (uint)r.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(out16 + 20, 4), 0);
            SendReply(r, 0, out16 + 16, 8);
        }
        else
        {
            SendReply(r, r.Error, null, 0);
        }
        Free(r);
    }

    /// <summary>Answers a READ with <paramref name="bytes"/> of payload (or an error) and frees its slot.</summary>
    public void ReplyData(FuseRequest r, int error, int bytes)
    {
        SendReply(r, error, error == 0 ? r.Payload : null, error == 0 ? bytes : 0);
        Free(r);
    }

    private static int FindConnection(string mountPoint)
    {
        var full = Path.GetFullPath(mountPoint).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            if (f.Length > 4 && f[4] == full)
            {
                var mm = f[2].Split(':');
                return int.Parse(mm[1]);
            }
        }
        return -1;
    }

    private FuseRequest Take()
    {
        lock (_free)
        {
            while (_free.Count == 0)
            {
                Monitor.Wait(_free);
            }
            return _free.Pop();
        }
    }

    private void Free(FuseRequest r)
    {
        lock (_free)
        {
            _free.Push(r);
            Monitor.Pulse(_free);
        }
    }

    private void ReaderLoop()
    {
        var scratch = new byte[8192];
        var iov = stackalloc Libc.IoVec[2];
        var warm = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            var r = Take();
            iov[0] = new Libc.IoVec { Base = r.Header, Length = FuseRequest.HeaderArea };
            iov[1] = new Libc.IoVec { Base = r.Payload, Length = (nuint)r.MaxPayload };
            var n = Libc.Readv(_fd, iov, 2);
            if (n < 0)
            {
                var e = Libc.Errno;
                Free(r);
                if (e is Libc.EINTR or Libc.EAGAIN or Libc.ENOENT)
                {
                    continue;
                }
                if (!_stopping && e != Libc.ENODEV)
                {
                    _log($"FUSE read failed: {Libc.Describe(e)}");
                }
                return;
            }
            Interlocked.Increment(ref _requests);
            Dispatch(r, (int)n, scratch);
            // The first requests JIT-compile and warm up the path; after them nothing may allocate.
            var now = GC.GetAllocatedBytesForCurrentThread();
            if (++warm > 64)
            {
                Interlocked.Add(ref _allocatedBytes, now - before);
            }
            before = now;
        }
    }

    private void Dispatch(FuseRequest r, int length, byte[] scratch)
    {
        var h = new ReadOnlySpan<byte>(r.Header, FuseRequest.HeaderArea);
        r.Opcode = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]);
        r.Unique = BinaryPrimitives.ReadUInt64LittleEndian(h[8..]);
        var node = BinaryPrimitives.ReadUInt64LittleEndian(h[16..]);
        var op = (Op)r.Opcode;
        if (op is Op.Read or Op.Write)
        {
            r.Offset = BinaryPrimitives.ReadInt64LittleEndian(h[48..]);
            r.Size = (int)BinaryPrimitives.ReadUInt32LittleEndian(h[56..]);
            if (node != FileNode || r.Offset < 0 || r.Size > r.MaxPayload || r.Offset + r.Size > _sizeBytes + (op == Op.Read ? r.Size : 0))
            {
                SendReply(r, Libc.EINVAL, null, 0);
                Free(r);
                return;
            }
            if (op == Op.Read)
            {
                r.Size = (int)Math.Min(r.Size, _sizeBytes - r.Offset);
                _handler.Read(r);
            }
            else
            {
                _handler.Write(r);
            }
            return;
        }
        if (op == Op.Fsync)
        {
            _handler.Fsync(r);
            return;
        }
        // Control requests: make the request contiguous (it may spill past the 80-byte header area).
        var total = Math.Min(length, scratch.Length);
        h[..Math.Min(total, FuseRequest.HeaderArea)].CopyTo(scratch);
        if (total > FuseRequest.HeaderArea)
        {
            new ReadOnlySpan<byte>(r.Payload, total - FuseRequest.HeaderArea).CopyTo(scratch.AsSpan(FuseRequest.HeaderArea));
        }
        var body = scratch.AsSpan(FuseRequest.InHeaderBytes, total - FuseRequest.InHeaderBytes);
        Control(r, op, node, body);
        Free(r);
    }

    private void Control(FuseRequest r, Op op, ulong node, ReadOnlySpan<byte> body)
    {
        var o = new Span<byte>(r.ReplyArea + 16, 256);
        o.Clear();
        switch (op)
        {
            case Op.Init:
                var kernelMajor = BinaryPrimitives.ReadUInt32LittleEndian(body);
                var readahead = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
                var offered = BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
                if (kernelMajor != FuseKernelMajor)
                {
                    _log($"FUSE kernel protocol {kernelMajor} is not supported");
                    SendReply(r, Libc.EINVAL, null, 0);
                    return;
                }
                BinaryPrimitives.WriteUInt32LittleEndian(o, FuseKernelMajor);
                BinaryPrimitives.WriteUInt32LittleEndian(o[4..], FuseKernelMinor);
                BinaryPrimitives.WriteUInt32LittleEndian(o[8..], readahead);
                BinaryPrimitives.WriteUInt32LittleEndian(o[12..], offered & (InitAsyncRead | InitBigWrites | InitAsyncDio | InitMaxPages));
                BinaryPrimitives.WriteUInt16LittleEndian(o[16..], 64); // max_background
                BinaryPrimitives.WriteUInt16LittleEndian(o[18..], 48); // congestion_threshold
                BinaryPrimitives.WriteUInt32LittleEndian(o[20..], (uint)MaxWrite);
                BinaryPrimitives.WriteUInt32LittleEndian(o[24..], 1); // time_gran
                BinaryPrimitives.WriteUInt16LittleEndian(o[28..], (ushort)(MaxWrite / AlignedBuffer.PageSize));
                SendReply(r, 0, r.ReplyArea + 16, 64);
                return;
            case Op.Lookup:
                var name = body.IndexOf((byte)0) is var z and >= 0 ? body[..z] : body;
                if (node != RootNode || !name.SequenceEqual(_fileName))
                {
                    SendReply(r, Libc.ENOENT, null, 0);
                    return;
                }
                BinaryPrimitives.WriteUInt64LittleEndian(o, FileNode);
                BinaryPrimitives.WriteUInt64LittleEndian(o[16..], 3600); // entry_valid
                BinaryPrimitives.WriteUInt64LittleEndian(o[24..], 3600); // attr_valid
                Attr(o[40..], FileNode);
                SendReply(r, 0, r.ReplyArea + 16, 128);
                return;
            case Op.GetAttr or Op.SetAttr:
                if (node != RootNode && node != FileNode)
                {
                    SendReply(r, Libc.ENOENT, null, 0);
                    return;
                }
                BinaryPrimitives.WriteUInt64LittleEndian(o, 3600);
                Attr(o[16..], node);
                SendReply(r, 0, r.ReplyArea + 16, 104);
                return;
            case Op.Open or Op.OpenDir:
                BinaryPrimitives.WriteUInt64LittleEndian(o, node);
                SendReply(r, 0, r.ReplyArea + 16, 16);
                return;
            case Op.ReadDir:
                ReadDir(r, body, o);
                return;
            case Op.StatFs:
                BinaryPrimitives.WriteUInt64LittleEndian(o, (ulong)(_sizeBytes / 4096));
                BinaryPrimitives.WriteUInt32LittleEndian(o[40..], 4096);
                BinaryPrimitives.WriteUInt32LittleEndian(o[44..], 255);
                BinaryPrimitives.WriteUInt32LittleEndian(o[48..], 4096);
                SendReply(r, 0, r.ReplyArea + 16, 80);
                return;
            case Op.Release or Op.ReleaseDir or Op.Flush or Op.FsyncDir or Op.Access:
                SendReply(r, 0, null, 0);
                return;
            case Op.Forget or Op.BatchForget or Op.Interrupt:
                return; // no reply expected
            case Op.Destroy:
                SendReply(r, 0, null, 0);
                return;
            case Op.Fallocate:
                // Discard and zero-range are not replicated yet: refuse them, and mkfs/loop fall back to writes.
                SendReply(r, Libc.EOPNOTSUPP, null, 0);
                return;
            default:
                SendReply(r, Libc.ENOSYS, null, 0);
                return;
        }
    }

    private void ReadDir(FuseRequest r, ReadOnlySpan<byte> body, Span<byte> o)
    {
        var offset = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[16..]);
        var used = 0;
        ReadOnlySpan<byte> dot = "."u8, dotdot = ".."u8;
        for (var i = (int)offset; i < 3; i++)
        {
            var name = i switch { 0 => dot, 1 => dotdot, _ => (ReadOnlySpan<byte>)_fileName };
            var rec = (24 + name.Length + 7) & ~7;
            if (used + rec > Math.Min(size, o.Length))
            {
                break;
            }
            var e = o.Slice(used, rec);
            e.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(e, i == 2 ? FileNode : RootNode);
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], (ulong)(i + 1));
            BinaryPrimitives.WriteUInt32LittleEndian(e[16..], (uint)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(e[20..], i == 2 ? 8u : 4u); // DT_REG / DT_DIR
            name.CopyTo(e[24..]);
            used += rec;
        }
        SendReply(r, 0, r.ReplyArea + 16, used);
    }

    private void Attr(Span<byte> a, ulong node)
    {
        var file = node == FileNode;
        BinaryPrimitives.WriteUInt64LittleEndian(a, node);
        BinaryPrimitives.WriteUInt64LittleEndian(a[8..], file ? (ulong)_sizeBytes : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(a[16..], file ? (ulong)(_sizeBytes / 512) : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(a[60..], file ? 0x8180u : 0x41C0u); // 0100600 / 040700
        BinaryPrimitives.WriteUInt32LittleEndian(a[64..], file ? 1u : 2u);
        BinaryPrimitives.WriteUInt32LittleEndian(a[80..], 4096);
    }

    private void SendReply(FuseRequest r, int error, byte* body, int bodyBytes)
    {
        var head = r.ReplyArea;
        var iov = stackalloc Libc.IoVec[2];
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(head, 4), (uint)(16 + bodyBytes));
        BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(head + 4, 4), -error);
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(head + 8, 8), r.Unique);
        iov[0] = new Libc.IoVec { Base = head, Length = 16 };
        iov[1] = new Libc.IoVec { Base = body, Length = (nuint)bodyBytes };
        if (Libc.Writev(_fd, iov, bodyBytes > 0 ? 2 : 1) < 0)
        {
            var e = Libc.Errno;
            if (e != Libc.ENOENT && !_stopping)
            {
                _log($"FUSE reply failed: {Libc.Describe(e)}");
            }
        }
    }
}
