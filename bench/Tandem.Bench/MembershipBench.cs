using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tandem.Corosync;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Bench;

/// <summary>
/// Hard kill of a node in a two-node lab: the time from the SIGKILL of the node until the survivor's
/// daemon has applied the membership change (the daemon stamps that moment in its status). The host's
/// clock serves both ends: the lab's nodes share it.
/// </summary>
public static class MembershipBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntOption(args, "--runs") ?? 5;
        var tokenMs = IntOption(args, "--token-ms");
        var tandem = StringOption(args, "--tandem") ?? "/usr/local/bin/tandem";
        var output = StringOption(args, "--output") ?? Path.Combine("bench", "results", "membership.md");
        var name = "b" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

        var controller = new LabController(name, m => Console.Error.WriteLine($"lab: {m}"));
        var samples = new List<double>();
        IReadOnlyDictionary<string, string> totem = new Dictionary<string, string>();
        try
        {
            await controller.UpAsync(new LabOptions(name, ["astapor", "braavos"], QuorumMode.TwoNode) { TokenMs = tokenMs }, tandem, CancellationToken.None);
            for (var run = 1; run <= runs; run++)
            {
                var before = await StatusAsync(controller, tandem);
                totem = before.Totem;
                var killedAt = DateTimeOffset.UtcNow;
                await controller.KillAsync("braavos", CancellationToken.None);
                var after = await WaitAsync(controller, tandem, s => s.Nodes.Any(n => n.Name == "braavos" && !n.Online));
                var detectedMs = (after.Quorum.ChangedAt!.Value - killedAt).TotalMilliseconds;
                samples.Add(detectedMs);
                Console.Error.WriteLine($"run {run}: survivor's daemon saw the loss after {detectedMs:0} ms");
                await controller.StartAsync("braavos", CancellationToken.None);
            }
        }
        finally
        {
            await controller.DownAsync(CancellationToken.None);
        }

        var report = Report(samples, totem, tokenMs, args);
        Console.Write(report);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.Error.WriteLine($"recorded in {output}");
        return 0;
    }

    private static string Report(List<double> samples, IReadOnlyDictionary<string, string> totem, int? tokenMs, string[] args)
    {
        samples.Sort();
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# Membership: hard kill → survivor's daemon sees the change\n\n");
        text.Append(inv, $"Recorded {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (load average {LoadAverage()}), lab of two nodes (two_node).\n");
        text.Append(inv, $"Command: `./build.sh bench membership{(args.Length > 1 ? " " + string.Join(' ', args.Skip(1)) : "")}`\n\n");
        text.Append(inv, $"corosync timing in force: {(totem.Count == 0 ? "(not reported)" : string.Join(", ", totem.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")))}");
        text.Append(tokenMs is null ? " (lab default profile)\n\n" : $" (--token-ms {tokenMs})\n\n");
        text.Append("| runs | min ms | median ms | max ms |\n|---|---|---|---|\n");
        text.Append(inv, $"| {samples.Count} | {samples[0]:0} | {Median(samples):0} | {samples[^1]:0} |\n\n");
        text.Append(inv, $"Samples (ms): {string.Join(", ", samples.Select(s => s.ToString("0", inv)))}\n\n");
        text.Append("The time runs from the SIGKILL of braavos's pid 1 (every process of the node at once) to the moment the\n");
        text.Append("survivor's daemon applied corosync's new membership (`quorum.changedAt` in `tandem status --json`).\n");
        text.Append("corosync detects the loss after its token timeout plus consensus (1.2 × token); Pacemaker's figures for the\n");
        text.Append("same lab are in ../shared/notes/LAB.md.\n");
        return text.ToString();
    }

    // The machine is shared: a loaded host delays the daemons' scheduling, which the figures include.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static async Task<StatusResponse> StatusAsync(LabController controller, string tandem)
    {
        var result = await controller.RunAsync("astapor", [tandem, "status", "--json"], TimeSpan.FromSeconds(10), CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"tandem status on astapor: {result.FirstErrorLine}");
        }
        return JsonSerializer.Deserialize<StatusResponse>(result.StandardOutput, LocalApiJson.Options)
            ?? throw new InvalidOperationException("empty status");
    }

    private static async Task<StatusResponse> WaitAsync(LabController controller, string tandem, Func<StatusResponse, bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var status = await StatusAsync(controller, tandem);
            if (condition(status))
            {
                return status;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the survivor never saw the loss");
    }

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int? IntOption(string[] args, string name) =>
        StringOption(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
