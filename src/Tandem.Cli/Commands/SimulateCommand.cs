using System.CommandLine;
using Tandem.Cli.Output;
using Tandem.Model.Cib;
using Tandem.Scheduler;
using Tandem.Scheduler.Graph;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem simulate`: what the scheduler would do with a saved CIB, printed as crm_simulate prints it
/// (current status, allocation scores, transition summary, simulated execution, revised status).
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var xml = new Option<FileInfo>("--xml-file", "-x") { Description = "The CIB to schedule (a saved cib.xml with a status section)", Required = true };
        var simulate = new Option<bool>("--simulate", "-S") { Description = "Schedule, simulate running the transition, and show the revised status" };
        var run = new Option<bool>("--run", "-R") { Description = "Schedule and show the transition summary without simulating it" };
        var scores = new Option<bool>("--show-scores", "-s") { Description = "Show the allocation and promotion scores" };
        var graph = new Option<FileInfo?>("--graph", "-G") { Description = "Write the transition graph (XML) to this file" };
        var date = new Option<string?>("--set-datetime", "-t") { Description = "Pretend 'now' is this ISO 8601 date-time (default: the CIB's execution-date, else now)" };
        var json = CommonOptions.Json();
        var command = new Command("simulate", "What the scheduler would do with a CIB, as crm_simulate shows it")
        {
            xml, simulate, run, scores, graph, date, json,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(xml)!;
            var cib = Load(file);
            DateTimeOffset? fixedNow = null;
            if (parse.GetValue(date) is { } dateText)
            {
                if (!PacemakerDate.TryParse(dateText, out var parsed))
                {
                    throw new CliException($"--set-datetime: '{dateText}' is not an ISO 8601 date-time");
                }
                fixedNow = parsed;
            }
            var snapshot = ClusterSnapshot.FromCib(cib, TimeProvider.System.GetUtcNow(), fixedNow) with { Simulation = true };
            var showScores = parse.GetValue(scores);
            var result = Simulator.Run(snapshot, showScores);
            if (parse.GetValue(graph) is { } graphFile)
            {
                GraphXml.ToXml(result.Graph).Save(graphFile.FullName);
            }
            if (parse.GetValue(json))
            {
                Json.Write(new
                {
                    currentStatus = result.CurrentStatus,
                    scores = showScores ? result.Scores : null,
                    transitionSummary = result.TransitionSummary,
                    executedActions = result.ExecutedActions,
                    revisedStatus = result.RevisedStatus,
                });
                return 0;
            }
            if (fixedNow is null && cib.Header.ExecutionDate is { } executionDate)
            {
                Console.WriteLine($"Using the original execution date of: {executionDate.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
            }
            Console.Write(result.ToText(showScores, parse.GetValue(run), parse.GetValue(simulate)));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Reads a CIB file; malformed XML, or an element without an attribute it must have (an id, a
    /// resource's class), is a one-line error naming the element and its line.
    /// </summary>
    public static CibDocument Load(FileInfo file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (IOException e)
        {
            throw new CliException($"{file.Name}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"{file.Name}: {e.Message}");
        }
        CibDocument cib;
        try
        {
            cib = CibImport.Parse(text);
        }
        catch (CibFormatException e)
        {
            throw new CliException($"{file.Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
        // Pacemaker's schema refuses such a CIB; scheduling around the gap would show a made-up cluster.
        if (cib.Diagnostics.FirstOrDefault(d => d.Code == "missing-attribute") is { } missing)
        {
            throw new CliException($"{file.Name}: {missing}");
        }
        return cib;
    }
}
