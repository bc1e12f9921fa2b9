using Tandem.Model.Status;

namespace Tandem.Node.Status;

/// <summary>One operation's result on a node, as its executor reports it; <paramref name="Failed"/> when the result was not the one expected.</summary>
public sealed record OperationUpdate(string ResourceId, string? Class, string? Provider, string? Type, OperationRecord Record, bool Failed);
