using System.CommandLine;

namespace Tandem.Cli.Commands;

/// <summary>Options shared by many commands, so they are spelled and explained the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of text" };
}
