namespace Tandem.Node.Status;

/// <summary>
/// What a cleanup changes: one status update per node, the resources cleaned on each, or the reason it
/// was refused (<see cref="Error"/>; then nothing changes).
/// </summary>
public sealed record CleanupPlan(IReadOnlyList<StatusUpdate> Updates, IReadOnlyList<CleanedResource> Cleaned, string? Error)
{
    public static CleanupPlan Refused(string error) => new([], [], error);
}
