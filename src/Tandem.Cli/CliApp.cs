using System.CommandLine;
using System.CommandLine.Parsing;
using Tandem.Cli.Commands;

namespace Tandem.Cli;

/// <summary>
/// Builds the <c>tandem</c> command tree and runs it. Every command group lives in a file of its own
/// under Commands/ and is added here, so this list is the table of contents of the CLI.
/// </summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Tandem: a high-availability cluster stack (membership, configuration, placement, replicated volumes).");
        // One line per command group (src/Tandem.Cli/Commands/<Group>Commands.cs).
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DaemonCommand.Create());
        root.Subcommands.Add(LabCommands.Create());
        root.Subcommands.Add(RaCommands.Create());
        root.Subcommands.Add(VolumeCommands.Create());
        root.Subcommands.Add(BusCommands.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(ConfigCommands.Verify());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(ClusterCommands.Create());
        root.Subcommands.Add(PropertyCommands.Create());
        root.Subcommands.Add(ResourceCommands.Create());
        root.Subcommands.Add(ConstraintCommands.Create());
        root.Subcommands.Add(NodeCommands.Create());
        root.Subcommands.Add(MailLoadCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line that names the problem; the full help is one `--help` away.
            var path = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            {
                path.Insert(0, result.Command.Name);
            }
            Console.Error.WriteLine($"tandem: {parse.Errors[0].Message} (see '{string.Join(' ', path)} --help')");
            return 2;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"tandem: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("tandem: interrupted");
            return 130;
        }
        catch (Exception e)
        {
            // Not a failure the command foresaw: still one line, with the details on request.
            Console.Error.WriteLine($"tandem: {e.Message} ({e.GetType().Name}; TANDEM_DEBUG=1 shows where)");
            if (Environment.GetEnvironmentVariable("TANDEM_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }
            return 1;
        }
    }
}
