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

    public long? Line { get; }

    public long? Column { get; }
}
