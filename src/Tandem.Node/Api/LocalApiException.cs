namespace Tandem.Node.Api;

/// <summary>The local API could not answer; the message is one line the user can act on.</summary>
public sealed class LocalApiException(string message) : Exception(message);
