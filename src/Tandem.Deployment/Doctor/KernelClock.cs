using System.Runtime.InteropServices;

namespace Tandem.Deployment.Doctor;

/// <summary>The kernel's clock state from adjtimex(2): TIME_ERROR (5) means no NTP client disciplines it.</summary>
public static partial class KernelClock
{
    private const int TimeError = 5;

    /// <summary>True when synchronised, false when the kernel says it is not, null when it cannot be asked.</summary>
    public static unsafe bool? Synchronised()
    {
        // struct timex is 208 bytes on 64-bit Linux; modes = 0 only reads.
        var timex = stackalloc byte[512];
        new Span<byte>(timex, 512).Clear();
        var state = Adjtimex(timex);
        return state < 0 ? null : state != TimeError;
    }

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static unsafe partial int Adjtimex(byte* timex);
}
