namespace Tandem.Volumes.Definition;

/// <summary>A definition that cannot be used; the message is one line naming the file and field.</summary>
public sealed class VolumeDefinitionException(string message) : Exception(message);
