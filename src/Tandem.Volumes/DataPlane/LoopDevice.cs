namespace Tandem.Volumes.DataPlane;

/// <summary>A loop device over the volume's image file, with direct I/O so the page cache is not in between.</summary>
public static class LoopDevice
{
    /// <summary>Attaches the image; returns /dev/loopN.</summary>
    public static string Attach(string imagePath) =>
        ProcessRunner.Run("losetup", "--find", "--show", "--direct-io=on", imagePath);

    public static void Detach(string device) => ProcessRunner.Run("losetup", "-d", device);

    /// <summary>True when the device is open exclusively (mounted, or held by another user such as mkfs).</summary>
    public static bool InUse(string device)
    {
        // A just-finished umount can release the device a moment later: look a few times before saying busy.
        for (var i = 0; i < 25; i++)
        {
            if (!HeldExclusively(device))
            {
                return false;
            }
            Thread.Sleep(200);
        }
        return true;
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
