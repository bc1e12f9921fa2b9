namespace Tandem.Mail;

/// <summary>Where a mail service answers, and how long a client waits for it.</summary>
public sealed record MailEndpoint(string Host, int Port)
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
