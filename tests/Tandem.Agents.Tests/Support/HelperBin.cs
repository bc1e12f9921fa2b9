using Tandem.Agents.Helpers;

namespace Tandem.Agents.Tests.Support;

/// <summary>An agent helper directory as build.sh installs it: symlinks named crm_attribute, crm_master, ...
/// to the tandem executable (built next to the tests).</summary>
public static class HelperBin
{
    public static string Create(TempDirectory temp)
    {
        var tandem = Path.Combine(AppContext.BaseDirectory, "tandem");
        Assert.True(File.Exists(tandem), $"the tandem executable is not at {tandem}");
        var directory = temp.Combine("agent-bin");
        Directory.CreateDirectory(directory);
        foreach (var name in HelperCommands.Names)
        {
            File.CreateSymbolicLink(Path.Combine(directory, name), tandem);
        }
        return directory;
    }
}
