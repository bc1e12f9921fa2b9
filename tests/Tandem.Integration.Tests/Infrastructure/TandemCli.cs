using Tandem.Lab;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>The `tandem` executable built with these tests, run as a user would run it.</summary>
public static class TandemCli
{
    /// <summary>The apphost the build copies next to the test assembly.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "tandem");

    public static Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        HostCommand.RunAsync(Path, arguments, timeout);

    /// <summary>Runs the CLI and fails the test with its stderr if it does not succeed.</summary>
    public static async Task<CommandResult> CheckAsync(TimeSpan timeout, params string[] arguments)
    {
        var result = await RunAsync(timeout, arguments);
        Assert.True(result.Succeeded, $"tandem {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result;
    }
}
