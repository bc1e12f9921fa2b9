namespace Tandem.Node.Status;

/// <summary>A transient node attribute set to a value, or removed (null).</summary>
public sealed record AttributeChange(string Name, string? Value);
