using System.Runtime.InteropServices;

namespace Tandem.Volumes.DataPlane;

/// <summary>The few system calls the data plane makes directly: plain, blittable, allocation-free.</summary>
internal static unsafe partial class Libc
{
    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_DIRECT = 0x4000;
    public const int O_CLOEXEC = 0x80000;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int ENOENT = 2;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int ENODEV = 19;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    public const int EROFS = 30;
    public const int MNT_DETACH = 2;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "readv", SetLastError = true)]
    public static partial nint Readv(int fd, IoVec* iov, int count);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    public static partial nint Writev(int fd, IoVec* iov, int count);

    [LibraryImport("libc", EntryPoint = "pread64", SetLastError = true)]
    public static partial nint Pread(int fd, void* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite64", SetLastError = true)]
    public static partial nint Pwrite(int fd, void* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    public static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "lseek64", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ftruncate64", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fsType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "mlockall", SetLastError = true)]
    public static partial int Mlockall(int flags);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
