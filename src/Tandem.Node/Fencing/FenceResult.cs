namespace Tandem.Node.Fencing;

/// <summary>
/// The outcome of a fence request, multicast by the node that carried it out so every member records it:
/// on success the target is down (its resources stopped, its transient attributes gone) until it joins
/// again. <paramref name="Method"/> names the device(s) that did it, or "self-fence deadline" when the
/// target was concluded fenced because the deadline within which it stops itself has passed.
/// </summary>
public sealed record FenceResult(
    string RequestId,
    string Executor,
    string Target,
    string Action,
    bool Succeeded,
    string Method,
    string? Reason,
    DateTimeOffset At) : DaemonMessage;
