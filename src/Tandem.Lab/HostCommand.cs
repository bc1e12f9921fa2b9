using System.Diagnostics;
using Tandem.Deployment;
using Tandem.Deployment.Services;

namespace Tandem.Lab;

/// <summary>The outcome of a command run to completion.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first non-empty line the command printed on stderr (or stdout), for one-line errors.</summary>
    public string FirstErrorLine =>
        (StandardError + "\n" + StandardOutput).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {ExitCode}";
}

/// <summary>
/// Runs the host's tools (ip, nsenter, unshare, corosync-cfgtool...) for the lab. Arguments are passed
/// as a list, never through a shell, so names cannot inject commands.
/// </summary>
public static class HostCommand
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Processes.RunAsync(file, arguments, timeout, cancellationToken).ConfigureAwait(false);
            return new CommandResult(result.ExitCode, result.Output, result.Error);
        }
        catch (DeploymentException e)
        {
            throw new LabException(e.Message);
        }
    }

    /// <summary>Runs a command and throws a one-line <see cref="LabException"/> if it fails.</summary>
    public static async Task<CommandResult> CheckAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await RunAsync(file, list, timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"{Processes.Describe(file, list)} failed: {result.FirstErrorLine}");
        }
        return result;
    }

    /// <summary>
    /// Starts a long-lived process detached from the caller's terminal: its standard streams go to
    /// <paramref name="logPath"/> (or /dev/null), so nothing keeps the caller's pipes open.
    /// Returns the process id of <paramref name="file"/> itself.
    /// </summary>
    public static int StartDetached(string file, IEnumerable<string> arguments, string? logPath = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(logPath ?? "/dev/null");
        start.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new LabException($"cannot start {file}");
        return process.Id;
    }
}
