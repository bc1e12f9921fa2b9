using System.Globalization;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Zimbra;

/// <summary>A throw-away system user and group standing in for "zimbra", with a unique name per run;
/// its processes are killed (by pid) and the user deleted at the end.</summary>
public sealed class ZimbraUserFixture : IDisposable
{
    public ZimbraUserFixture()
    {
        User = "tdmz" + Guid.NewGuid().ToString("N")[..8];
        HostCommand.Check("useradd", "--system", "--no-create-home", "--home-dir", "/tmp", "--shell", "/bin/sh", "--user-group", User);
    }

    public string User { get; }

    public string Group => User;

    public IReadOnlyList<int> Processes()
    {
        var (_, output) = HostCommand.Run("ps", "-u", User, "-o", "pid=");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    public void KillProcesses()
    {
        foreach (var pid in Processes())
        {
            HostCommand.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void Dispose()
    {
        KillProcesses();
        HostCommand.Run("userdel", User);
        HostCommand.Run("groupdel", Group);
    }
}
