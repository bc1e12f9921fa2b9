using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tandem.Agents;
using Tandem.Agents.Execution;
using Tandem.Agents.Processes;

namespace Tandem.Bench;

/// <summary>
/// The cost of running agents, side by side with the plain alternatives on the same machine and run:
/// Tandem's executor running ocf:heartbeat:Dummy monitor (posix_spawn in a new session, full OCF
/// environment, bounded capture) against System.Diagnostics.Process running the same agent with the same
/// environment; and Tandem's crm_node helper (the tandem executable through a symlink) against Pacemaker's
/// own crm_node, both answering <c>-n</c> from OCF_RESKEY_CRM_meta_on_node as agents call it.
/// </summary>
public static class AgentsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntOption(args, "--runs") ?? 50;
        var tandem = Path.GetFullPath(StringOption(args, "--tandem") ?? "/usr/local/bin/tandem");
        var output = StringOption(args, "--output") ?? Path.Combine("bench", "results", "agents.md");
        var work = Directory.CreateTempSubdirectory("tandem-bench-agents-").FullName;
        try
        {
            var options = new ExecutorOptions { NodeName = "astapor", HelperDirectory = null };
            var request = new OperationRequest("bench", AgentName.Parse("ocf:heartbeat:Dummy"), "monitor")
            {
                IntervalMs = 10_000,
                Parameters = new Dictionary<string, string> { ["state"] = Path.Combine(work, "dummy.state") },
            };
            await using var executor = new Executor(options, new PosixProcessLauncher(), TimeProvider.System);
            await executor.RunAsync(request with { Action = "start" });
            var executorMs = await SampleAsync(runs, async () =>
            {
                var result = await executor.RunAsync(request);
                Check(result.Status == OperationStatus.Success, $"monitor: {result}");
            });
            var spec = AgentCommand.Build(request, options)!;
            var processMs = await SampleAsync(runs, async () =>
            {
                var start = new ProcessStartInfo(spec.Path, spec.Arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
                start.Environment.Clear();
                foreach (var (key, value) in spec.Environment)
                {
                    start.Environment[key] = value;
                }
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                await Task.WhenAll(stdout, stderr);
                Check(process.ExitCode == 0, $"Dummy monitor exited {process.ExitCode}");
            });

            var helper = Path.Combine(work, "crm_node");
            File.CreateSymbolicLink(helper, tandem);
            var tandemHelperMs = await SampleAsync(runs, () => RunNodeNameAsync(helper));
            var pacemakerMs = File.Exists("/usr/sbin/crm_node") ? await SampleAsync(runs, () => RunNodeNameAsync("/usr/sbin/crm_node")) : null;

            var report = Report(runs, tandem, executorMs, processMs, tandemHelperMs, pacemakerMs);
            Console.Write(report);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, report);
            Console.Error.WriteLine($"recorded in {output}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunNodeNameAsync(string path)
    {
        var start = new ProcessStartInfo(path, ["-n"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OCF_RESKEY_CRM_meta_on_node"] = "astapor";
        using var process = Process.Start(start)!;
        var name = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Check(process.ExitCode == 0 && name.Trim() == "astapor", $"{path} -n printed '{name.Trim()}' (exit {process.ExitCode})");
    }

    private static async Task<List<double>?> SampleAsync(int runs, Func<Task> action)
    {
        await action();
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        samples.Sort();
        return samples;
    }

    private static string Report(int runs, string tandem, List<double>? executor, List<double>? process, List<double>? tandemHelper, List<double>? pacemaker)
    {
        var text = new StringBuilder();
        text.Append("# Agents: executor and helper command latency\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Command: `dotnet run --project bench/Tandem.Bench -c Release -- agents --runs {runs} --tandem {tandem}`  \n");
        text.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Milliseconds per operation, {runs} runs after one warm-up.\n\n");
        text.Append("| what | median | p90 | max |\n|---|---|---|---|\n");
        void Row(string what, List<double>? samples)
        {
            if (samples is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {what} | n/a | n/a | n/a |\n");
                return;
            }
            text.Append(CultureInfo.InvariantCulture, $"| {what} | {Percentile(samples, 0.5):0.0} | {Percentile(samples, 0.9):0.0} | {samples[^1]:0.0} |\n");
        }
        Row("Executor: ocf:heartbeat:Dummy monitor", executor);
        Row("System.Diagnostics.Process: the same agent, same environment", process);
        Row("Tandem helper `crm_node -n` (tandem via symlink)", tandemHelper);
        Row("Pacemaker 2.1.5 `crm_node -n`", pacemaker);
        text.Append("\nThe helper's cost is .NET's start-up: agents call helpers a few times per operation, so it adds to\n");
        text.Append("start/promote/monitor times of agents that use them (drbd, Stateful, galera), not to the others.\n");
        return text.ToString();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static string? StringOption(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int? IntOption(string[] args, string name) =>
        StringOption(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
