namespace Tandem.Volumes.Protocol;

/// <summary>The peer sent something that is not valid protocol: the connection is dropped and nothing of it applied.</summary>
public sealed class ProtocolViolationException(string message) : Exception(message);
