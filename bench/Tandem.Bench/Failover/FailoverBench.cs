using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tandem.Corosync;
using Tandem.Lab;

namespace Tandem.Bench.Failover;

/// <summary>
/// Tandem against Pacemaker 2.1.5 on the same lab and the same corosync.conf: cold start, hard kill,
/// standby and monitor failure, measured from outside. `./build.sh bench failover [--runs N]
/// [--token-ms N] [--stacks tandem,pacemaker] [--tandem PATH] [--output FILE] [--logs DIR]` (--logs keeps
/// the nodes' logs of the run).
/// </summary>
public static class FailoverBench
{
    private static readonly string[] Scenarios = ["cold start", "hard kill", "standby", "monitor failure"];

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntOption(args, "--runs") ?? 5;
        var tokenMs = IntOption(args, "--token-ms") ?? CorosyncConfig.LanProfileTokenMs;
        var tandem = StringOption(args, "--tandem") ?? "/usr/local/bin/tandem";
        var stacks = (StringOption(args, "--stacks") ?? "tandem,pacemaker").Split(',');
        var output = StringOption(args, "--output") ?? Path.Combine("bench", "results", "failover.md");
        var logs = StringOption(args, "--logs");
        if (stacks.Contains("pacemaker") && !File.Exists("/usr/sbin/pacemakerd"))
        {
            // Not installed by ./build.sh: on a host with systemd, Debian would start it on the host's corosync.
            Console.Error.WriteLine("failover: the comparison needs Pacemaker 2.1.5 (Debian: apt-get install pacemaker, then keep its service stopped on the host), or run with --stacks tandem");
            return 2;
        }
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();

        var results = new List<(string Stack, Dictionary<string, List<FailoverSample>> Samples)>();
        string? corosyncConf = null;
        foreach (var which in stacks)
        {
            var name = "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var lab = await FailoverLab.UpAsync(name, tandem, tokenMs);
            corosyncConf ??= lab.CorosyncConf;
            try
            {
                IClusterStack stack = which switch
                {
                    "tandem" => new TandemStack(lab, tandem),
                    "pacemaker" => new PacemakerStack(lab),
                    _ => throw new ArgumentException($"unknown stack '{which}' (tandem, pacemaker)"),
                };
                await using var probe = VipProbe.Start(lab.Layout, SeedScenario.Vip);
                var run = new FailoverRun(lab, stack, probe);
                await run.SetUpAsync();
                for (var i = 0; i < runs; i++)
                {
                    await run.ColdStartAsync();
                }
                for (var i = 0; i < runs; i++)
                {
                    await run.HardKillAsync();
                }
                for (var i = 0; i < runs; i++)
                {
                    await run.StandbyAsync();
                }
                for (var i = 0; i < runs; i++)
                {
                    await run.MonitorFailureAsync();
                }
                results.Add((stack.Name, run.Samples));
            }
            finally
            {
                if (logs is not null)
                {
                    KeepLogs(lab, Path.Combine(logs, which));
                }
                await lab.DownAsync();
            }
        }

        var report = Report(results, startedAt, loadBefore, tokenMs, corosyncConf ?? "", args);
        Console.Write(report);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.Error.WriteLine($"recorded in {output}");
        return 0;
    }

    private static string Report(List<(string Stack, Dictionary<string, List<FailoverSample>> Samples)> results, DateTimeOffset startedAt, string loadBefore, int tokenMs, string corosyncConf, string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# Failover: Tandem and Pacemaker 2.1.5 side by side\n\n");
        text.Append(inv, $"Command: `./build.sh bench failover{(args.Length > 1 ? " " + string.Join(' ', args.Skip(1)) : "")}` (or `dotnet run --project bench/Tandem.Bench -c Release -- failover ...`), as root.  \n");
        text.Append(inv, $"Run: {startedAt:yyyy-MM-dd HH:mm} to {DateTimeOffset.UtcNow:HH:mm} UTC, {Environment.ProcessorCount} cores shared with other work, load average {loadBefore} at the start (each run's below).\n\n");
        text.Append(inv, $"Lab: two nodes (astapor, braavos) in namespaces, a client namespace behind the same switch. Both stacks run on the\n");
        text.Append(inv, $"same corosync.conf (Tandem's generator, token {tokenMs} ms{(tokenMs == CorosyncConfig.LanProfileTokenMs ? ", Tandem's default profile" : "")}, two_node, knet, crypto on) and the same\n");
        text.Append("seed configuration: VIP1 (ocf:heartbeat:IPaddr2, monitor 5 s) and zcs_service (ocf:heartbeat:Dummy, monitor 10 s) in a group,\n");
        text.Append("resource-stickiness 100, migration-threshold 1, stonith-enabled false, no-quorum-policy ignore. Pacemaker runs\n");
        text.Append("pacemakerd in each node with private /var/lib/pacemaker, /var/log/pacemaker and /run/crm, configured with\n");
        text.Append("crm_attribute and cibadmin; its own defaults otherwise (dc-deadtime 20 s).\n\n");
        text.Append("What is measured (milliseconds, from outside: a probe in the client namespace pings VIP1 every 10 ms and notes\n");
        text.Append("the MAC address of the node that answers; the service's state file is watched from the host):\n\n");
        text.Append("- cold start: both nodes booted with nothing running, then corosync and the stack started on both at once (as a\n");
        text.Append("  service manager would: the stack once corosync answers) → VIP1 answers. Configuration kept from before.\n");
        text.Append("- hard kill: SIGKILL of the pid 1 of the node that runs the group (every process of it at once, its network gone)\n");
        text.Append("  → VIP1 answers from the survivor. \"Own work\": in the survivor's log, from the first line of the membership\n");
        text.Append("  change to the line of VIP1's start completed.\n");
        text.Append("- standby: the command run inside the group's node (`tandem node standby NODE`, `crm_standby -N NODE -v on`),\n");
        text.Append("  its own run time included → VIP1 answers from the other node.\n");
        text.Append("- monitor failure: the service's state file is removed on the group's node; from the failed monitor's result\n");
        text.Append("  (the node's log) → VIP1 answers from the other node and the service's state file exists there (the group\n");
        text.Append("  moved: migration-threshold 1). The wait for the next 10 s monitor is not counted.\n\n");
        text.Append("| scenario | stack | runs | min | median | max | own work after membership: min / median / max | of which until the start was handed to the agent |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var scenario in Scenarios)
        {
            foreach (var (stack, samples) in results)
            {
                if (!samples.TryGetValue(scenario, out var list) || list.Count == 0)
                {
                    continue;
                }
                var ms = list.Select(s => s.Ms).Order().ToList();
                var work = list.Where(s => s.StackWorkMs is not null).Select(s => s.StackWorkMs!.Value).Order().ToList();
                var decision = list.Where(s => s.DecisionMs is not null).Select(s => s.DecisionMs!.Value).Order().ToList();
                text.Append(inv, $"| {scenario} | {stack} | {list.Count} | {ms[0]:0} | {Median(ms):0} | {ms[^1]:0} | {MinMedianMax(work)} | {MinMedianMax(decision)} |\n");
            }
        }
        text.Append("\nEvery run (ms; own work in parentheses; load average 1/5/15 min when the run began):\n\n");
        foreach (var (stack, samples) in results)
        {
            foreach (var scenario in Scenarios.Where(samples.ContainsKey))
            {
                text.Append(inv, $"- {stack}, {scenario}: {string.Join("; ", samples[scenario].Select(s => string.Create(inv, $"{s.Ms:0}{(s.StackWorkMs is { } w ? $" ({w:0}, handed over at {s.DecisionMs:0})" : "")} [{s.LoadAverage}]")))}\n");
            }
        }
        text.Append("\ncorosync.conf of both stacks (cluster name and addresses per lab):\n\n```\n").Append(corosyncConf).Append("```\n");
        return text.ToString();
    }

    /// <summary>Copies the nodes' logs (Tandem's daemon and corosync, Pacemaker's detail log) before the lab goes.</summary>
    private static void KeepLogs(FailoverLab lab, string directory)
    {
        foreach (var node in FailoverLab.NodeNames)
        {
            var target = Directory.CreateDirectory(Path.Combine(directory, node)).FullName;
            foreach (var dir in new[] { "log", "pcmk-log" })
            {
                var source = Path.Combine(lab.Layout.MachineDir(node), dir);
                if (Directory.Exists(source))
                {
                    foreach (var file in Directory.GetFiles(source))
                    {
                        File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
                    }
                }
            }
        }
    }

    private static string MinMedianMax(List<double> sorted) =>
        sorted.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:0} / {Median(sorted):0} / {sorted[^1]:0}");

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int? IntOption(string[] args, string name) =>
        StringOption(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
