namespace Tandem.Agents.LocalApi;

/// <summary>Why the cluster could not answer a helper command.</summary>
public enum AgentApiFailure
{
    /// <summary>The daemon is not running or the socket is not reachable.</summary>
    Unavailable,

    /// <summary>The daemon refused: invalid value, not allowed now.</summary>
    Rejected,

    /// <summary>The node or resource named does not exist.</summary>
    NotFound,

    /// <summary>The answer was not what this client understands.</summary>
    Protocol,
}

/// <summary>The local API failed; the message is one line.</summary>
public sealed class AgentApiException : Exception
{
    public AgentApiException(AgentApiFailure failure, string message) : base(message) => Failure = failure;

    public AgentApiException() : this(AgentApiFailure.Unavailable, "the Tandem daemon could not be reached") { }

    public AgentApiException(string message) : this(AgentApiFailure.Rejected, message) { }

    public AgentApiException(string message, Exception innerException) : base(message, innerException) => Failure = AgentApiFailure.Unavailable;

    public AgentApiFailure Failure { get; }
}
