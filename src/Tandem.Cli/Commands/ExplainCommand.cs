using System.CommandLine;
using Tandem.Cli.Output;
using Tandem.Scheduler;
using Tandem.Scheduler.Explain;

namespace Tandem.Cli.Commands;

/// <summary>`tandem explain RESOURCE -x FILE`: why the scheduler puts a resource where it does.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var resource = new Argument<string>("resource") { Description = "The resource (or group, clone, instance) to explain" };
        var xml = new Option<FileInfo>("--xml-file", "-x") { Description = "The CIB to schedule (a saved cib.xml with a status section)", Required = true };
        var date = new Option<string?>("--set-datetime", "-t") { Description = "Pretend 'now' is this ISO 8601 date-time (default: the CIB's execution-date, else now)" };
        var json = CommonOptions.Json();
        var command = new Command("explain", "Why a resource is (or will be) where it is: every node's score and the terms behind it")
        {
            resource, xml, date, json,
        };
        command.SetAction(parse =>
        {
            var cib = SimulateCommand.Load(parse.GetValue(xml)!);
            DateTimeOffset? fixedNow = null;
            if (parse.GetValue(date) is { } dateText)
            {
                if (!PacemakerDate.TryParse(dateText, out var parsed))
                {
                    throw new CliException($"--set-datetime: '{dateText}' is not an ISO 8601 date-time");
                }
                fixedNow = parsed;
            }
            var snapshot = ClusterSnapshot.FromCib(cib, TimeProvider.System.GetUtcNow(), fixedNow);
            var id = parse.GetValue(resource)!;
            var lines = Explainer.Explain(snapshot, id) ?? throw new CliException($"no resource '{id}' in the CIB");
            if (parse.GetValue(json))
            {
                Json.Write(new { resource = id, explanation = lines });
                return 0;
            }
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }
            return 0;
        });
        return command;
    }
}
