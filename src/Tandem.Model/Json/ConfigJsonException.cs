namespace Tandem.Model.Json;

/// <summary>A configuration JSON document that cannot be read; the message is one line naming the position.</summary>
public sealed class ConfigJsonException : FormatException
{
    public ConfigJsonException(string message, long? line = null, long? column = null)
        : base(line is { } l ? $"line {l}, column {column}: {message}" : message)
    {
        Line = line;
        Column = column;
    }

    public ConfigJsonException()
    {
    }

    public ConfigJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The document's format version when that version is the problem (newer or older than this Tandem reads).</summary>
    public int? FoundFormatVersion { get; init; }

    /// <summary>Written by a newer Tandem: must be refused, never overwritten (a downgrade would lose it).</summary>
    public bool IsNewerFormat => FoundFormatVersion > ConfigJson.FormatVersion;

    public long? Line { get; }

    public long? Column { get; }
}
