namespace Tandem.Volumes.DataPlane;

/// <summary>
/// A loop device over the volume's image file, with direct I/O so the page cache is not in between.
/// Loop devices are global to the host, but the volume service may die with its node (a crash, a lab
/// power-off): so the device is marked auto-clear and the service holds it open. When the service's last
/// descriptor closes, however it ends, the kernel detaches the device as soon as nobody else (a mount)
/// holds it.
/// </summary>
public sealed unsafe class LoopDevice : IDisposable
{
    private const nuint LoopSetStatus64 = 0x4C04;
    private const nuint LoopGetStatus64 = 0x4C05;
    private const uint LoFlagsAutoclear = 4;
    private const int LoopInfo64Size = 232;
    private const int LoFlagsOffset = 52;

    private int _fd;

    private LoopDevice(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    /// <summary>/dev/loopN.</summary>
    public string Path { get; }

    /// <summary>Attaches the image to a free loop device, auto-clearing, held open by this process.</summary>
    public static LoopDevice Attach(string imagePath)
    {
        var device = ProcessRunner.Run("losetup", "--find", "--show", "--direct-io=on", imagePath);
        var fd = Libc.Open(device, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Libc.Errno;
            ProcessRunner.Run("losetup", "-d", device);
            throw new IOException($"{device}: cannot open the new loop device: {Libc.Describe(errno)}");
        }
        var info = stackalloc byte[LoopInfo64Size];
        if (Libc.Ioctl(fd, LoopGetStatus64, info) != 0 || SetAutoclear(fd, info) != 0)
        {
            var errno = Libc.Errno;
            Libc.Close(fd);
            ProcessRunner.Run("losetup", "-d", device);
            throw new IOException($"{device}: cannot mark the loop device auto-clear: {Libc.Describe(errno)}");
        }
        return new LoopDevice(device, fd);
    }

    private static int SetAutoclear(int fd, byte* info)
    {
        *(uint*)(info + LoFlagsOffset) |= LoFlagsAutoclear;
        return Libc.Ioctl(fd, LoopSetStatus64, info);
    }

    /// <summary>True while the device is still bound to a backing file.</summary>
    public static bool IsAttached(string device) =>
        File.Exists($"/sys/block/{System.IO.Path.GetFileName(device)}/loop/backing_file");

    /// <summary>True when the device is open exclusively (mounted, or held by another user such as mkfs).</summary>
    public bool InUse()
    {
        // A just-finished umount can release the device a moment later: look a few times before saying busy.
        for (var i = 0; i < 25; i++)
        {
            if (!HeldExclusively(Path))
            {
                return false;
            }
            Thread.Sleep(200);
        }
        return true;
    }

    /// <summary>Lets go of the device: the kernel detaches it now, or when its last other user closes it.</summary>
    public void Dispose()
    {
        if (_fd < 0)
        {
            return;
        }
        Libc.Close(_fd);
        _fd = -1;
        // Detaching follows the last close; wait briefly so the image is released before the FUSE side stops.
        for (var i = 0; i < 50 && IsAttached(Path); i++)
        {
            Thread.Sleep(20);
        }
    }

    private static bool HeldExclusively(string device)
    {
        var fd = Libc.Open(device, Libc.O_RDONLY | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        if (fd >= 0)
        {
            Libc.Close(fd);
            return false;
        }
        return Libc.Errno == Libc.EBUSY;
    }
}
