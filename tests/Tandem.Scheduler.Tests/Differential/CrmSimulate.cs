using System.Diagnostics;

namespace Tandem.Scheduler.Tests.Differential;

/// <summary>Runs Debian's crm_simulate (Pacemaker 2.1.5) as the reference: -S with section headers, C locale.</summary>
internal static class CrmSimulate
{
    public const string Path = "/usr/sbin/crm_simulate";

    public static bool Installed => File.Exists(Path);

    /// <summary>The crm_simulate -S output for a CIB file; with <paramref name="graphFile"/>, also the graph (-G).</summary>
    public static string Simulate(string cibFile, string? graphFile = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-x", cibFile, "-S", "--text-fancy" })
        {
            start.ArgumentList.Add(arg);
        }
        if (graphFile is not null)
        {
            start.ArgumentList.Add("-G");
            start.ArgumentList.Add(graphFile);
        }
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("crm_simulate did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return stdout;
    }
}
