using System.Diagnostics;
using Tandem.Deployment.Services;

namespace Tandem.Deployment.Tests.Services;

/// <summary>
/// The shipped units, checked by systemd itself: `systemd-analyze verify` (Debian's systemd package) works
/// without systemd running. It resolves ExecStart and the units named in Requires/After, so the units are
/// rendered with an executable that exists here, as the installer renders them with the installed one.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-units-").FullName;

    private static string Executable => Environment.ProcessPath!;

    private (int ExitCode, string Output) Verify(params string[] units)
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("verify");
        foreach (var unit in units)
        {
            start.ArgumentList.Add(Path.Combine(_dir, unit));
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }

    private void Write(string unit, string text) => File.WriteAllText(Path.Combine(_dir, unit), text);

    [Fact]
    public void The_shipped_units_verify_without_a_warning()
    {
        foreach (var unit in SystemdUnits.Names)
        {
            Write(unit, SystemdUnits.Render(unit, Executable));
        }
        var (exitCode, output) = Verify([.. SystemdUnits.Names]);
        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify: exit {exitCode}: {output}");
    }

    [Fact]
    public void The_daemon_needs_corosync_and_comes_after_the_volume_service()
    {
        var daemon = SystemdUnits.Render(SystemdUnits.Daemon, Executable);
        Assert.Contains("Requires=corosync.service", daemon, StringComparison.Ordinal);
        Assert.Matches(@"After=.*corosync\.service", daemon);
        Assert.Matches(@"After=.*tandem-volume\.service", daemon);
        Assert.Contains("Restart=on-failure", daemon, StringComparison.Ordinal);
        Assert.Contains($"ExecStart={Executable} daemon", daemon, StringComparison.Ordinal);
        var volumes = SystemdUnits.Render(SystemdUnits.Volumes, Executable);
        Assert.Contains("Before=tandem.service", volumes, StringComparison.Ordinal);
        Assert.DoesNotContain("corosync", volumes.Split('\n').Where(l => !l.StartsWith('#')).Aggregate("", (a, b) => a + b), StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_catches_a_broken_unit()
    {
        Write("broken.service", SystemdUnits.Render(SystemdUnits.Daemon, Executable).Replace("Restart=", "Restrat=", StringComparison.Ordinal));
        var (_, output) = Verify("broken.service");
        Assert.Contains("Restrat", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
