using System.CommandLine;
using Tandem.Cli.Commands;
using Tandem.Cli.Configuration;

namespace Tandem.Cli.Tests;

/// <summary>Runs `tandem` command lines against an in-memory configuration, as a user types them.</summary>
internal sealed class Cli(MemoryConfigTarget target, DateTimeOffset? now = null)
{
    public StringWriter Output { get; } = new();

    private readonly TimeProvider _time = new FixedTime(now ?? new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero));

    /// <summary>Runs one command line (split on spaces); a CliException comes out as thrown.</summary>
    public async Task<string> RunAsync(string commandLine)
    {
        var output = new StringWriter();
        var context = new ConfigContext(() => target, output, _time);
        var root = new RootCommand("tandem")
        {
            PropertyCommands.Create(context),
            ResourceCommands.Create(context),
            ConstraintCommands.Create(context),
            NodeCommands.Create(context),
        };
        var parse = root.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (parse.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{commandLine}: {parse.Errors[0].Message}");
        }
        var exit = await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        Assert.Equal(0, exit);
        Output.Write(output.ToString());
        return output.ToString();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
