using System.CommandLine;

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
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line that names the problem; the full help is one `--help` away.
            Console.Error.WriteLine($"tandem: {parse.Errors[0].Message} (see 'tandem {string.Join(' ', parse.CommandResult.Command.Name)} --help')");
            return 2;
        }
        try
        {
            return await parse.InvokeAsync().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"tandem: {e.Message}");
            return e.ExitCode;
        }
    }
}
