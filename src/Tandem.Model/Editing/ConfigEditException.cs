namespace Tandem.Model.Editing;

/// <summary>An edit that cannot be made as asked (unknown id, bad value, contradiction); one line naming the problem. Nothing is changed.</summary>
public sealed class ConfigEditException : Exception
{
    public ConfigEditException(string message)
        : base(message)
    {
    }

    public ConfigEditException()
    {
    }

    public ConfigEditException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
