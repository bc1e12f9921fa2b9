using System.Globalization;
using Tandem.Deployment.Services;

namespace Tandem.Lab;

/// <summary>
/// A process as the host sees it: its pid and its start time (clock ticks since boot, field 22 of
/// /proc/PID/stat), so a recycled pid is never mistaken for the process the lab started.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTicks)
{
    public static ProcessIdentity? TryRead(int pid)
    {
        var ticks = ReadStartTicks(pid);
        return ticks is null ? null : new ProcessIdentity(pid, ticks.Value);
    }

    public bool IsAlive => Pid > 0 && ReadStartTicks(Pid) == StartTicks;

    /// <summary>The children of this process (/proc/PID/task/PID/children).</summary>
    public IReadOnlyList<int> Children()
    {
        try
        {
            var text = File.ReadAllText($"/proc/{Pid}/task/{Pid}/children");
            return [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static ulong? ReadStartTicks(int pid) => Processes.StartTicks(pid);
}
