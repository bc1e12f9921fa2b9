using System.Diagnostics;

namespace Tandem.Volumes.DataPlane;

/// <summary>Runs a system tool (losetup) and returns its output, or throws with its error in one line.</summary>
public static class ProcessRunner
{
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new IOException($"{file}: cannot start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0
            ? stdout.Result.Trim()
            : throw new IOException($"{file} {string.Join(' ', args)}: {stderr.Trim().ReplaceLineEndings(" ")} (exit {p.ExitCode})");
    }
}
