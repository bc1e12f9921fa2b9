namespace Tandem.Node.Fencing;

/// <summary>
/// The coordinator asks <paramref name="Executor"/> (never the target) to fence <paramref name="Target"/>
/// with <paramref name="Action"/> (reboot or off). <paramref name="Levels"/> are tried in order until one
/// succeeds; a level succeeds when all its devices do (a fencing topology level, or one device each).
/// <paramref name="RequestId"/> is the transition key of the graph's fencing action.
/// </summary>
public sealed record FenceRequest(
    string RequestId,
    string Executor,
    string Target,
    uint TargetNodeId,
    string Action,
    IReadOnlyList<IReadOnlyList<FenceDeviceCall>> Levels) : DaemonMessage
{
    /// <summary>
    /// Watchdog fencing (no device): the target, if it hears this, fences itself at once; otherwise it has
    /// fenced itself on losing quorum. The coordinator concludes success this long after the request.
    /// </summary>
    public long WatchdogMs { get; init; }
}
