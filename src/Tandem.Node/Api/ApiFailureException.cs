namespace Tandem.Node.Api;

/// <summary>A request the daemon cannot carry out: the HTTP status and one line naming the problem.</summary>
public sealed class ApiFailureException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
