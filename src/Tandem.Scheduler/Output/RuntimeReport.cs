namespace Tandem.Scheduler.Output;

/// <summary>Where a resource (a primitive or a clone instance) is active and in which role.</summary>
public sealed record ResourcePlacement(string Id, string? Parent, string Agent, string Role, IReadOnlyList<string> Nodes, bool Managed, bool Failed);

/// <summary>A failed operation; <c>Description</c> is crm_mon's line under "Failed Resource Actions".</summary>
public sealed record FailedAction(string Resource, string OperationKey, string Node, int ExitCode, string ExitText, string Status, string? ExitReason, string Description);

/// <summary>A resource's fail count on a node; <c>Description</c> is crm_mon's line under "Migration Summary".</summary>
public sealed record FailCountEntry(string Node, string Resource, int FailCount, DateTimeOffset? LastFailure, int MigrationThreshold, string Description);

/// <summary>The runtime state of the cluster as crm_mon shows it.</summary>
public sealed record RuntimeReport(
    IReadOnlyList<string> StatusLines,
    IReadOnlyList<ResourcePlacement> Placements,
    IReadOnlyList<FailedAction> FailedActions,
    IReadOnlyList<FailCountEntry> FailCounts);
