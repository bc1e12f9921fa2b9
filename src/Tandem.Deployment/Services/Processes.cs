using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tandem.Deployment.Services;

/// <summary>A finished command: exit code and output.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public string FirstLine => (Error + "\n" + Output).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {ExitCode}";
}

/// <summary>Runs tools with argument lists (never through a shell) and signals processes by pid.</summary>
public static class Processes
{
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new DeploymentException($"cannot start {file}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new DeploymentException($"{Describe(file, start.ArgumentList)} did not finish within {timeout.TotalSeconds:0.#} s");
        }
        return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>A command line shortened for one-line messages: the tool's name and its first arguments.</summary>
    public static string Describe(string file, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(Path.GetFileName(file));
        foreach (var argument in arguments.Take(6))
        {
            text.Append(' ').Append(argument.Length > 40 ? argument[..40] + "..." : argument);
        }
        return text.ToString();
    }

    /// <summary>
    /// Start time of a process (clock ticks since boot, field 22 of /proc/PID/stat), so a recycled pid is
    /// never taken for ours; null when it is gone or a zombie.
    /// </summary>
    public static ulong? StartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return rest.Length < 20 || rest[0] == "Z" ? null : ulong.Parse(rest[19], CultureInfo.InvariantCulture);
    }
}
