namespace Tandem.Model.Text;

/// <summary>Text-face input that cannot be read: one line naming the line, the column and the offending token.</summary>
public sealed class TextParseException : FormatException
{
    public TextParseException(string message, int line, int column, string? token)
        : base(token is null ? $"line {line}: {message}" : $"line {line}, column {column}: {message} (at '{token}')")
    {
        Line = line;
        Column = column;
        Token = token;
        Reason = message;
    }

    public TextParseException()
    {
    }

    public TextParseException(string message)
        : base(message)
    {
    }

    public TextParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }

    public int Column { get; }

    public string? Token { get; }

    /// <summary>The problem without its position (for input that was not written as text by the user, such as a command's arguments).</summary>
    public string? Reason { get; }
}
