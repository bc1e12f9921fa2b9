namespace Tandem.Volumes.Replication;

/// <summary>A refused state change (e.g. promoting stale data); the message says why and what to do, in one line.</summary>
public sealed class VolumeStateException(string message) : Exception(message);
