namespace Tandem.Model.Cib;

/// <summary>The input is not a readable CIB (malformed XML, or no configuration section).</summary>
public sealed class CibFormatException : FormatException
{
    public CibFormatException(string message, int? line = null)
        : base(line is { } l ? $"line {l}: {message}" : message)
    {
        Line = line;
    }

    public CibFormatException()
    {
    }

    public CibFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int? Line { get; }
}
