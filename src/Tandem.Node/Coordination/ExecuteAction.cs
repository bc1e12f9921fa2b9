namespace Tandem.Node.Coordination;

/// <summary>
/// The coordinator asks a node's executor to run one resource operation. <paramref name="TransitionKey"/>
/// (action:transition:expected-rc:coordinator) comes back in the operation's history entry, so the
/// coordinator recognises the result as the answer to this request.
/// </summary>
public sealed record ExecuteAction(
    string TransitionKey,
    string Node,
    string ResourceId,
    string? Class,
    string? Provider,
    string? Type,
    string Task,
    long IntervalMs,
    long TimeoutMs,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Meta) : DaemonMessage;
