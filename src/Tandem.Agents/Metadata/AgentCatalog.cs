using Tandem.Agents.Execution;

namespace Tandem.Agents.Metadata;

/// <summary>Which agents are installed on this node: classes, OCF providers, and the agents of each.</summary>
public sealed class AgentCatalog(ExecutorOptions options)
{
    /// <summary>The systemd class is offered only where systemd runs (it is absent in containers and here
    /// in CI); the others always.</summary>
    public IReadOnlyList<AgentClass> Classes() =>
        Directory.Exists("/run/systemd/system") && File.Exists(options.SystemctlPath)
            ? [AgentClass.Ocf, AgentClass.Lsb, AgentClass.Systemd, AgentClass.Stonith]
            : [AgentClass.Ocf, AgentClass.Lsb, AgentClass.Stonith];

    public IReadOnlyList<string> OcfProviders()
    {
        var root = Path.Combine(options.OcfRoot, "resource.d");
        return Directory.Exists(root)
            ? [.. Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The agents of a class (for OCF, of one provider or of all, as provider:type).</summary>
    public IReadOnlyList<string> List(AgentClass agentClass, string? provider = null)
    {
        switch (agentClass)
        {
            case AgentClass.Ocf when provider is not null:
                var directory = Path.Combine(options.OcfRoot, "resource.d", provider);
                if (!Directory.Exists(directory))
                {
                    throw new MetadataException($"no OCF provider '{provider}' on this node (known: {string.Join(", ", OcfProviders())})");
                }
                return Executables(directory, _ => true);
            case AgentClass.Ocf:
                return [.. OcfProviders().SelectMany(p => List(AgentClass.Ocf, p).Select(t => $"{p}:{t}"))];
            case AgentClass.Lsb:
                return Executables(options.LsbDirectory, name => !name.StartsWith("README", StringComparison.Ordinal) && !name.StartsWith("rc", StringComparison.Ordinal));
            case AgentClass.Stonith:
                return Executables(options.FenceAgentDirectory, name => name.StartsWith("fence_", StringComparison.Ordinal));
            case AgentClass.Systemd:
                if (!Classes().Contains(AgentClass.Systemd))
                {
                    throw new MetadataException("systemd is not running on this node: no systemd agents");
                }
                return SystemdServices();
            default:
                throw new ArgumentOutOfRangeException(nameof(agentClass));
        }
    }

    private string[] SystemdServices()
    {
        var start = new System.Diagnostics.ProcessStartInfo(options.SystemctlPath, ["list-unit-files", "--type=service", "--no-legend", "--no-pager"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new MetadataException($"could not run {options.SystemctlPath}");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new MetadataException($"systemctl list-unit-files failed (exit {process.ExitCode})");
        }
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .Where(unit => unit.EndsWith(".service", StringComparison.Ordinal) && !unit.Contains('@', StringComparison.Ordinal))
            .Select(unit => unit[..^".service".Length])
            .Order(StringComparer.Ordinal)];
    }

    private static string[] Executables(string directory, Func<string, bool> accept)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return [.. new DirectoryInfo(directory).EnumerateFiles()
            .Where(f => (f.UnixFileMode & anyExecute) != 0 && accept(f.Name))
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)];
    }
}
