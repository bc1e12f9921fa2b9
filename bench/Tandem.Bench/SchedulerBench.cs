using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Tandem.Model.Cib;
using Tandem.Scheduler;
using Tandem.Scheduler.Tests.Differential;

namespace Tandem.Bench;

/// <summary>
/// The scheduler against Pacemaker's: the same generated CIBs (200 and 1000 resources, 2 and 16 nodes,
/// steady state and after losing a node) planned by Tandem in process (XML parse, status read, schedule,
/// graph) and by `crm_simulate -R` (Pacemaker 2.1.5, which does the same plus process start-up), and by
/// `tandem simulate -R` as a process for the like-for-like command-line comparison.
/// </summary>
public static class SchedulerBench
{
    private const string CrmSimulate = "/usr/sbin/crm_simulate";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntOption(args, "--runs") ?? 10;
        var tandem = StringOption(args, "--tandem");
        var output = StringOption(args, "--output") ?? Path.Combine("bench", "results", "scheduler.md");
        var keep = StringOption(args, "--keep");
        // --size 1000x16 measures that size alone (for profiling); the recorded report has them all.
        var only = StringOption(args, "--size");
        var work = keep ?? Directory.CreateTempSubdirectory("tandem-bench-scheduler-").FullName;
        Directory.CreateDirectory(work);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        try
        {
            var rows = new List<Row>();
            foreach (var resources in new[] { 200, 1000 })
            {
                foreach (var nodes in new[] { 2, 16 })
                {
                    if (only is not null && only != $"{resources}x{nodes}")
                    {
                        continue;
                    }
                    foreach (var failed in new[] { false, true })
                    {
                        var cib = new CibGenerator(1).GenerateLarge(nodes, resources, failed);
                        var file = Path.Combine(work, $"cib-{resources}-{nodes}-{(failed ? "failed" : "steady")}.xml");
                        cib.Save(file);
                        rows.Add(await MeasureAsync(file, resources, nodes, failed, runs, tandem));
                        Console.Error.WriteLine($"{resources} x {nodes} {(failed ? "after failure" : "steady")}: done");
                    }
                }
            }
            load += " to " + File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var report = Report(runs, tandem, load, rows);
            Console.Write(report);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, report);
            Console.Error.WriteLine($"recorded in {output}");
            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>One configuration: wall and CPU milliseconds (medians) of each side, and the size of both graphs.</summary>
    private sealed record Row(int Resources, int Nodes, bool Failed, int TandemActions, int PacemakerActions,
        Timing Tandem, Timing CrmSimulate, Timing? TandemProcess);

    private sealed record Timing(double WallMs, double CpuMs);

    private static async Task<Row> MeasureAsync(string file, int resources, int nodes, bool failed, int runs, string? tandem)
    {
        var text = await File.ReadAllTextAsync(file);
        var actions = 0;
        var tandemTiming = Median(runs, InProcessCpuMs, () =>
        {
            var cib = CibImport.Parse(text);
            var plan = Scheduler.Scheduler.Schedule(ClusterSnapshot.FromCib(cib, DateTimeOffset.UnixEpoch));
            actions = plan.Graph.Synapses.Count;
        });
        // The same work in Pacemaker: the graph it writes shows it planned the same number of actions.
        var graphFile = file + ".graph.xml";
        RunProcess(CrmSimulate, "-x", file, "-R", "-Q", "-G", graphFile);
        var pacemakerActions = XDocument.Load(graphFile).Root!.Elements("synapse").Count();
        var crmTiming = Median(runs, ChildrenCpuMs, () => RunProcess(CrmSimulate, "-x", file, "-R", "-Q"));
        var processTiming = tandem is null ? null : Median(runs, ChildrenCpuMs, () => RunProcess(tandem, "simulate", "-x", file, "-R"));
        return new Row(resources, nodes, failed, actions, pacemakerActions, tandemTiming, crmTiming, processTiming);
    }

    private static void RunProcess(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} exited {process.ExitCode}");
        }
    }

    private static double InProcessCpuMs()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>User and system CPU of this process's waited-for children (cutime + cstime of /proc/self/stat).</summary>
    private static double ChildrenCpuMs()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name in parentheses: state is field 3, cutime 16 and cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>Linux's USER_HZ, the unit of /proc/PID/stat times (100 on every mainstream architecture).</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>Median wall and CPU milliseconds over <paramref name="runs"/> runs after one warm-up.</summary>
    private static Timing Median(int runs, Func<double> cpuMs, Action action)
    {
        action();
        var wall = new List<double>(runs);
        var cpu = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var cpuBefore = cpuMs();
            var started = Stopwatch.GetTimestamp();
            action();
            wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            cpu.Add(cpuMs() - cpuBefore);
        }
        wall.Sort();
        cpu.Sort();
        return new Timing(wall[runs / 2], cpu[runs / 2]);
    }

    private static string Report(int runs, string? tandem, string load, List<Row> rows)
    {
        var text = new StringBuilder();
        text.Append("# Scheduler: Tandem against Pacemaker 2.1.5\n\n");
        var tandemArg = tandem is null ? "" : $" --tandem {tandem}";
        text.Append(CultureInfo.InvariantCulture, $"Command: `./build.sh bench scheduler --runs {runs}{tandemArg}` (or `dotnet run --project bench/Tandem.Bench -c Release -- scheduler --runs {runs}{tandemArg}`; `--keep DIR` keeps the CIBs)  \n");
        text.Append(CultureInfo.InvariantCulture, $"Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {load}. Medians of {runs} runs after one warm-up.\n\n");
        text.Append("The CIBs come from `CibGenerator.GenerateLarge` (tests/Tandem.Scheduler.Tests/Differential): primitives, a group of\n");
        text.Append("three every tenth resource, a clone every twentieth, location, colocation and order constraints; every\n");
        text.Append("resource running with a start and a monitor in its history and probed (not running) on every other node;\n");
        text.Append("\"after failure\" loses node1 cleanly (its resources move).\n\n");
        text.Append("- Tandem: parse the CIB, read the status, schedule, build the graph, in process (as the daemon does).\n");
        text.Append("- crm_simulate -R -Q: the same work in Pacemaker, plus starting the process. \"actions\" is the number of\n");
        text.Append("  synapses in each graph (crm_simulate's from `-G`): equal numbers show both planned the same work.\n");
        text.Append("- CPU is user + system time (Tandem: the whole process, garbage collector included; crm_simulate: the\n");
        text.Append("  child's). On a loaded machine CPU time is the fairer figure; the ratio is of CPU times.\n\n");
        text.Append("| resources | nodes | state | actions Tandem / Pacemaker | Tandem wall / CPU (ms) | crm_simulate -R wall / CPU (ms) | ratio (CPU) | tandem simulate -R process wall / CPU (ms) |\n");
        text.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var row in rows)
        {
            var process = row.TandemProcess is { } p ? $"{p.WallMs:0} / {p.CpuMs:0}" : "n/a";
            text.Append(CultureInfo.InvariantCulture,
                $"| {row.Resources} | {row.Nodes} | {(row.Failed ? "after failure" : "steady")} | {row.TandemActions} / {row.PacemakerActions} | {row.Tandem.WallMs:0.0} / {row.Tandem.CpuMs:0.0} | {row.CrmSimulate.WallMs:0} / {row.CrmSimulate.CpuMs:0} | {row.CrmSimulate.CpuMs / row.Tandem.CpuMs:0.0}x | {process} |\n");
        }
        return text.ToString();
    }

    private static string? StringOption(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int? IntOption(string[] args, string name) =>
        StringOption(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
