namespace Tandem.Node.Api;

/// <summary>The local API could not answer; the message is one line the user can act on.</summary>
public sealed class LocalApiException(string message, int? statusCode = null) : Exception(message)
{
    /// <summary>The HTTP status the daemon answered with; null when it did not answer at all.</summary>
    public int? StatusCode { get; } = statusCode;
}
