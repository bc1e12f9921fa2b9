namespace Tandem.Node.Volumes;

/// <summary>A node's answer to a <see cref="VolumeDefinitionPublish"/>: written (or already identical), or a one-line reason.</summary>
public sealed record VolumeDefinitionWritten(string RequestId, string Node, string? Error) : DaemonMessage;
