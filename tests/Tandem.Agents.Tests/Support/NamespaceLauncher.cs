using Tandem.Agents.Processes;

namespace Tandem.Agents.Tests.Support;

/// <summary>Runs every agent inside the namespaces of a holder process (nsenter execs the agent, so it
/// keeps its pid and remains the leader of the executor's process group).</summary>
public sealed class NamespaceLauncher(IProcessLauncher inner, int holderPid, bool network) : IProcessLauncher
{
    public IAgentProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var target = holderPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> args = network ? ["-t", target, "-n", "-m", "--", spec.Path] : ["-t", target, "-m", "--", spec.Path];
        args.AddRange(spec.Arguments);
        return inner.Start(spec with { Path = "/usr/bin/nsenter", Arguments = args });
    }
}
