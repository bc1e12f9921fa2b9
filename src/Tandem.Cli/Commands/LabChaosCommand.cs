using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Tandem.Corosync;
using Tandem.Lab;
using Tandem.Lab.Chaos;
using Tandem.Model.Durations;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem lab chaos`: the mail scenario under a seeded sequence of faults while mail flows (issue 9,
/// Build 3). Uses the named lab when it runs the mail scenario, otherwise builds it (two nodes and the
/// quorum device) and removes it afterwards unless --keep. Exit code 1 when any fault was not recovered,
/// an accepted message was lost or duplicated, or the replicas differ.
/// </summary>
public static class LabChaosCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The lab (built with the mail scenario and the quorum device if it does not exist)", DefaultValueFactory = _ => "chaos" };
        var scenario = new Option<string>("--scenario") { Description = "The scenario under fault: mail", DefaultValueFactory = _ => MailScenario.Name };
        var seed = new Option<int?>("--seed") { Description = "Seed of the fault sequence (a random one by default; the report names it)" };
        var faults = new Option<int?>("--faults") { Description = "Number of faults (5 by default)" };
        var duration = new Option<string?>("--duration") { Description = "Inject faults for this long instead of a number (10min)" };
        var rate = new Option<double>("--rate") { Description = "Messages per second sent throughout", DefaultValueFactory = _ => 5 };
        var kinds = new Option<string?>("--kinds") { Description = "Fault kinds to draw from, comma-separated (switchover,node-kill,service-kill,replication-cut,split; all by default)" };
        var weakened = new Option<bool>("--weakened") { Description = "Run the weakened configuration: no fencing, no-quorum-policy=ignore (to see what it costs)" };
        var keep = new Option<bool>("--keep") { Description = "Leave the lab running afterwards" };
        var report = new Option<string?>("--report") { Description = "Also write the JSON report to this file" };
        var json = CommonOptions.Json();
        var command = new Command("chaos", "Faults (switchover, node kill, Postfix kill, replication cut, split) under mail load; check no accepted message is lost and the replicas end identical")
        {
            name, scenario, seed, faults, duration, rate, kinds, weakened, keep, report, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(scenario) != MailScenario.Name)
            {
                throw new CliException($"--scenario '{parse.GetValue(scenario)}': only '{MailScenario.Name}' has a chaos run", 2);
            }
            if (parse.GetValue(faults) is not null && parse.GetValue(duration) is not null)
            {
                throw new CliException("give --faults or --duration, not both", 2);
            }
            var labName = parse.GetValue(name)!;
            var seedValue = parse.GetValue(seed) ?? RandomNumberGenerator.GetInt32(1, 1_000_000);
            var durationValue = parse.GetValue(duration) is { } d ? ParseDuration(d) : (TimeSpan?)null;
            var count = durationValue is null ? parse.GetValue(faults) ?? 5 : (int?)null;
            var kindList = ParseKinds(parse.GetValue(kinds));
            var isWeakened = parse.GetValue(weakened);
            var rateValue = parse.GetValue(rate);
            var reproduce = $"tandem lab chaos --name {labName} --seed {seedValue.ToString(CultureInfo.InvariantCulture)} "
                + (count is { } k ? $"--faults {k.ToString(CultureInfo.InvariantCulture)}" : $"--duration {parse.GetValue(duration)}")
                + $" --rate {rateValue.ToString(CultureInfo.InvariantCulture)}"
                + (parse.GetValue(kinds) is { } ks ? $" --kinds {ks}" : "")
                + (isWeakened ? " --weakened" : "");
            var options = new MailChaosOptions
            {
                Seed = seedValue,
                FaultCount = count,
                Duration = durationValue,
                RatePerSecond = rateValue,
                Kinds = kindList,
                Weakened = isWeakened,
                Command = reproduce,
            };
            Console.Error.WriteLine($"chaos: {reproduce}");
            var controller = new LabController(labName, m => Console.Error.WriteLine($"lab: {m}"));
            var built = false;
            ChaosReport result;
            try
            {
                if (LabState.TryLoad(controller.Layout) is not { Scenario: MailScenario.Name } existing || existing.Nodes.Any(n => n.Holder is not { IsAlive: true }))
                {
                    var tandem = Environment.ProcessPath ?? throw new CliException("cannot tell where the tandem executable is");
                    built = true;
                    await controller.UpAsync(new LabOptions(labName, ["astapor", "braavos"], QuorumMode.QDevice) { Scenario = MailScenario.Name }, tandem, cancellationToken).ConfigureAwait(false);
                }
                if (isWeakened)
                {
                    await MailScenario.LoadConfigurationAsync(controller, weakened: true, cancellationToken).ConfigureAwait(false);
                }
                result = await new MailChaos(controller, options, m => Console.Error.WriteLine($"chaos: {m}")).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                throw new CliException(e.Message);
            }
            finally
            {
                if (built && !parse.GetValue(keep))
                {
                    await controller.DownAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            if (parse.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, result.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            Console.Write(parse.GetValue(json) ? result.ToJson() + Environment.NewLine : result.ToText());
            return result.Passed ? 0 : 1;
        });
        return command;
    }

    private static TimeSpan ParseDuration(string text) =>
        Duration.TryParse(text, out var duration, out var error)
            ? TimeSpan.FromMilliseconds(duration.Milliseconds)
            : throw new CliException($"--duration '{text}': {error}", 2);

    private static IReadOnlyList<ChaosFaultKind> ParseKinds(string? text)
    {
        if (text is null)
        {
            return Enum.GetValues<ChaosFaultKind>();
        }
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k switch
        {
            "switchover" => ChaosFaultKind.Switchover,
            "node-kill" => ChaosFaultKind.NodeKill,
            "service-kill" => ChaosFaultKind.ServiceKill,
            "replication-cut" => ChaosFaultKind.ReplicationCut,
            "split" => ChaosFaultKind.Split,
            _ => throw new CliException($"--kinds: '{k}' is not a fault kind (switchover, node-kill, service-kill, replication-cut, split)", 2),
        })];
    }
}
