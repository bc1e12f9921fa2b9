namespace Tandem.Mail;

/// <summary>What became of one message the load client tried to send.</summary>
public enum SendOutcome
{
    /// <summary>250 after DATA: the server took responsibility for the message; it must be delivered.</summary>
    Accepted,

    /// <summary>A definite refusal (4xx or 5xx): the server did not take the message.</summary>
    Refused,

    /// <summary>No connection or the session broke before DATA ended: the message was never handed over.</summary>
    Failed,

    /// <summary>The whole message was sent but no final reply came: it may or may not have been taken.</summary>
    Uncertain,
}

/// <summary>One message sent (or tried): its unique id, its recipient, when (seconds since the run began) and how it ended.</summary>
public sealed record SendAttempt(string Id, string Recipient, double StartedSeconds, double FinishedSeconds, SendOutcome Outcome, string? Detail = null);
