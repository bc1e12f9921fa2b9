namespace Tandem.Volumes.Service;

/// <summary>The service's answer: ok with a message and statuses, or a one-line error.</summary>
public sealed record ControlResponse(bool Ok, string? Message = null, string? Error = null, IReadOnlyList<VolumeStatus>? Volumes = null);
