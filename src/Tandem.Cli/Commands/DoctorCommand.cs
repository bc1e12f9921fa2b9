using System.CommandLine;
using System.Net;
using Tandem.Cli.Output;
using Tandem.Deployment.Doctor;

namespace Tandem.Cli.Commands;

/// <summary>`tandem doctor`: preflight of this node, a verdict per check and the fix in one line.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var peers = new Option<string?>("--peers") { Description = "Comma-separated names of the other nodes (taken from /etc/tandem/cluster.json when set up)" };
        var nodes = new Option<string[]>("--node") { Description = "Planned address of a node: NAME=ADDRESS (repeat for each node)", AllowMultipleArgumentsPerToken = false };
        var json = CommonOptions.Json();
        var command = new Command("doctor", "Check this node before (and after) setting up a cluster: names, clocks, packages, kernel, ports, firewall, boot services") { peers, nodes, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new DoctorRequest
            {
                Peers = [.. (parse.GetValue(peers) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Planned = ParsePlanned(parse.GetValue(nodes) ?? []),
                Time = SkewedTimeProvider.FromEnvironment(),
            };
            var facts = await FactGatherer.GatherAsync(request, cancellationToken).ConfigureAwait(false);
            var results = DoctorChecks.Run(facts);
            var passed = DoctorChecks.Passed(results);
            if (parse.GetValue(json))
            {
                Json.Write(new { node = facts.HostName, passed, checks = results });
            }
            else
            {
                var table = new TextTable("CHECK", "VERDICT", "FOUND");
                foreach (var result in results)
                {
                    table.Add(result.Id, Verdicts(result.Verdict), result.Detail);
                }
                Console.Write(table);
                var fixes = results.Where(r => r.Fix is not null && r.Verdict is Verdict.Failed or Verdict.Warning).ToList();
                if (fixes.Count > 0)
                {
                    Console.WriteLine();
                    foreach (var result in fixes)
                    {
                        Console.WriteLine($"fix {result.Id}: {result.Fix}");
                    }
                }
                Console.WriteLine();
                Console.WriteLine(passed ? $"{facts.HostName} is ready" : $"{facts.HostName} is NOT ready: {results.Count(r => r.Verdict == Verdict.Failed)} check(s) failed");
            }
            return passed ? 0 : 1;
        });
        return command;
    }

    private static string Verdicts(Verdict verdict) => verdict switch
    {
        Verdict.Ok => "ok",
        Verdict.Warning => "WARNING",
        Verdict.Failed => "FAILED",
        _ => "skipped",
    };

    public static Dictionary<string, IPAddress> ParsePlanned(IEnumerable<string> nodes)
    {
        var planned = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var parts = node.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || !IPAddress.TryParse(parts[1], out var address))
            {
                throw new CliException($"--node '{node}': expected NAME=ADDRESS, e.g. astapor=172.17.18.191", 2);
            }
            planned[parts[0]] = address;
        }
        return planned;
    }
}
