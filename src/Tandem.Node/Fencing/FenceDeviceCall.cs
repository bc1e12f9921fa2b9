namespace Tandem.Node.Fencing;

/// <summary>
/// One fence device as the executing node must use it on one target: the agent (stonith:TYPE), the agent
/// action after pcmk_ACTION_action remapping, how eligibility is checked (<paramref name="Check"/> null: the
/// agent's list when it has one, else its status), the target's port (alias from pcmk_host_map, else the
/// node name) with the parameter that carries it (null: none), the device's own parameters (Pacemaker's
/// pcmk_* options left out) and the timeouts of the action and of the check.
/// </summary>
public sealed record FenceDeviceCall(
    string DeviceId,
    string AgentType,
    string Action,
    HostCheck? Check,
    string Port,
    string? HostArgument,
    IReadOnlyDictionary<string, string> Parameters,
    long TimeoutMs,
    long CheckTimeoutMs);
