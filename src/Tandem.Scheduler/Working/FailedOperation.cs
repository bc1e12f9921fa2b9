using Tandem.Model.Status;

namespace Tandem.Scheduler.Working;

/// <summary>A failed operation from history, remembered with the node and resource it belongs to.</summary>
internal sealed record FailedOperation(OperationRecord Operation, string NodeName, string ResourceId);
