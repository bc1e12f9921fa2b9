namespace Tandem.Mail;

/// <summary>A server answered something a mail client cannot go on from (a refusal, a malformed reply, a closed connection).</summary>
public sealed class MailProtocolException(string message) : Exception(message);
