namespace Tandem.Node.Status;

/// <summary>A resource whose failures were cleaned up on a node.</summary>
public sealed record CleanedResource(string Resource, string Node);
