using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Tandem.Node.Fencing;

/// <summary>
/// Fences this node when the daemon core says it must (it lost quorum and could not stop its resources in
/// time, or the cluster is fencing it). With a command configured (TANDEM_SELF_FENCE_COMMAND; the lab sets
/// one that powers the node off through the lab's power switch) it runs that; otherwise it reboots the
/// machine at once through /proc/sysrq-trigger, as a watchdog would. If the node is still alive afterwards,
/// the daemon exits, so it at least starts nothing more.
/// </summary>
public sealed class SelfFencing(string? command, ILogger logger)
{
    public const string CommandVariable = "TANDEM_SELF_FENCE_COMMAND";

    public void Fence(string reason)
    {
        logger.LogCritical("self-fencing: {Reason}", reason);
        try
        {
            if (command is { Length: > 0 })
            {
                var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false };
                start.Environment["TANDEM_SELF_FENCE_REASON"] = reason;
                using var process = Process.Start(start);
                if (process is not null && process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    logger.LogCritical("self-fence command exited with {Code}", process.ExitCode);
                }
            }
            else
            {
                File.WriteAllText("/proc/sysrq-trigger", "b");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogCritical("self-fencing failed: {Error}", e.Message);
        }
        logger.LogCritical("this node is still alive after self-fencing; the daemon exits");
        Environment.Exit(70);
    }
}
