namespace Tandem.Agents.Metadata;

/// <summary>An agent's metadata could not be had: not installed, failed, or not valid XML. One line.</summary>
public sealed class MetadataException : Exception
{
    public MetadataException() { }

    public MetadataException(string message) : base(message) { }

    public MetadataException(string message, Exception innerException) : base(message, innerException) { }
}
