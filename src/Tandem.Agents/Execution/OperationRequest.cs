namespace Tandem.Agents.Execution;

/// <summary>
/// One operation of one resource on this node, as the coordinator asks for it: the resource id (which the
/// agent sees as OCF_RESOURCE_INSTANCE), its agent, the action with its interval and timeout, the
/// resource's parameters (OCF_RESKEY_*), the meta attributes to pass (OCF_RESKEY_CRM_meta_*, names with
/// '-' become '_'), the monitor depth (OCF_CHECK_LEVEL) and, for notify actions, the notification.
/// </summary>
public sealed record OperationRequest(string ResourceId, AgentName Agent, string Action)
{
    /// <summary>0 for a one-shot operation (a monitor with interval 0 is a probe).</summary>
    public long IntervalMs { get; init; }

    /// <summary>Pacemaker's default operation timeout is 20 s.</summary>
    public long TimeoutMs { get; init; } = 20_000;

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    /// <summary>The monitor depth (OCF_CHECK_LEVEL); null leaves it unset.</summary>
    public int? CheckLevel { get; init; }

    public NotifyData? Notify { get; init; }

    /// <summary>For fence actions (off, on, reboot, status): the node to act on, passed as nodename=.</summary>
    public string? FenceTarget { get; init; }

    public bool IsProbe => Action == "monitor" && IntervalMs == 0;

    /// <summary>The key Pacemaker gives an operation: RESOURCE_ACTION_INTERVAL.</summary>
    public string Key => $"{ResourceId}_{Action}_{IntervalMs}";
}
