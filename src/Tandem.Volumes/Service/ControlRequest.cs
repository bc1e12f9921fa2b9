namespace Tandem.Volumes.Service;

/// <summary>One command to the volume service over its control socket (one JSON line each way).</summary>
public sealed record ControlRequest(string Command, string? Volume = null, bool Force = false, bool DiscardMyData = false);
