using Tandem.Agents.Execution;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Tests.Support;

/// <summary>Executors over real processes, with agents from Debian's packages or from a temp OCF root.</summary>
public static class TestAgents
{
    public const string DebianOcfRoot = "/usr/lib/ocf";

    public static ExecutorOptions Options(string? ocfRoot = null, string? helperDirectory = null, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        return new ExecutorOptions
        {
            OcfRoot = ocfRoot ?? DebianOcfRoot,
            HelperDirectory = helperDirectory,
            NodeName = "astapor",
            NodeId = "1",
            KillGrace = TimeSpan.FromSeconds(1),
            BaseEnvironment = env,
        };
    }

    public static Executor Real(ExecutorOptions options) => new(options, new PosixProcessLauncher(), TimeProvider.System);

    /// <summary>An OCF root in a temp dir whose lib/heartbeat links to Debian's, so test agents can source
    /// ocf-shellfuncs, and whose resource.d/test holds the test's agents.</summary>
    public static string TestOcfRoot(TempDirectory temp)
    {
        var root = temp.Combine("ocf");
        Directory.CreateDirectory(temp.Combine("ocf", "resource.d", "test"));
        Directory.CreateDirectory(temp.Combine("ocf", "lib"));
        File.CreateSymbolicLink(temp.Combine("ocf", "lib", "heartbeat"), "/usr/lib/ocf/lib/heartbeat");
        File.CreateSymbolicLink(temp.Combine("ocf", "resource.d", "heartbeat"), "/usr/lib/ocf/resource.d/heartbeat");
        return root;
    }
}
