using System.Text;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Execution;

/// <summary>
/// Turns an operation into the process that performs it, for each agent class (pure: no I/O).
/// OCF: <c>/usr/lib/ocf/resource.d/P/T ACTION</c>. LSB: <c>/etc/init.d/NAME ACTION</c>, with monitor run as
/// <c>status</c>. systemd: <c>systemctl start|stop|reload UNIT</c>, monitor as <c>systemctl is-active UNIT</c>.
/// Fence agents: no arguments, <c>action=...</c> and the parameters as key=value lines on stdin, with
/// Tandem's own device options (pcmk_*) left out; start runs the agent's monitor, stop runs nothing.
/// </summary>
public static class AgentCommand
{
    /// <summary>The path of the agent's executable (for systemd: systemctl).</summary>
    public static string AgentPath(AgentName agent, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        return agent.Class switch
        {
            AgentClass.Ocf => Path.Combine(options.OcfRoot, "resource.d", agent.Provider!, agent.Type),
            AgentClass.Lsb => Path.Combine(options.LsbDirectory, agent.Type),
            AgentClass.Systemd => options.SystemctlPath,
            AgentClass.Stonith => Path.Combine(options.FenceAgentDirectory, agent.Type),
            _ => throw new ArgumentOutOfRangeException(nameof(agent)),
        };
    }

    /// <summary>A systemd unit name: "nginx" means nginx.service.</summary>
    public static string SystemdUnit(string type) =>
        type.Contains('.', StringComparison.Ordinal) ? type : type + ".service";

    /// <summary>The process to run, or null when the action needs none (stopping a fence device).</summary>
    public static ProcessSpec? Build(OperationRequest request, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var agent = request.Agent;
        var path = AgentPath(agent, options);
        var environment = AgentEnvironment.Build(request, options);
        switch (agent.Class)
        {
            case AgentClass.Ocf:
                return new ProcessSpec(path, [request.Action], environment, null, options.OutputLimits);
            case AgentClass.Lsb:
                return new ProcessSpec(path, [request.Action == "monitor" ? "status" : request.Action], environment, null, options.OutputLimits);
            case AgentClass.Systemd:
                var verb = request.Action switch
                {
                    "monitor" or "status" => "is-active",
                    _ => request.Action,
                };
                return new ProcessSpec(path, [verb, SystemdUnit(agent.Type)], environment, null, options.OutputLimits);
            case AgentClass.Stonith:
                var action = request.Action switch
                {
                    "start" => "monitor",
                    "stop" => null,
                    "meta-data" => "metadata",
                    _ => request.Action,
                };
                return action is null
                    ? null
                    : new ProcessSpec(path, [], environment, FenceInput(action, request), options.OutputLimits);
            default:
                throw new ArgumentOutOfRangeException(nameof(request));
        }
    }

    /// <summary>The stdin of a fence agent: one key=value per line.</summary>
    public static byte[] FenceInput(string action, OperationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder();
        text.Append("action=").Append(action).Append('\n');
        foreach (var (key, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key.StartsWith("pcmk_", StringComparison.Ordinal) || key == "action")
            {
                continue;
            }
            // A value with a newline would smuggle in another key.
            if (key.Contains('\n', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"fence parameter '{key}' contains a newline", nameof(request));
            }
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        if (request.FenceTarget is { } target)
        {
            text.Append("nodename=").Append(target).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
