namespace Tandem.Mail;

/// <summary>A mailbox the load client sends to and reads back.</summary>
public sealed record MailUser(string Name, string Password);

/// <summary>What the mail load client does: where, to whom, how fast, for how long.</summary>
public sealed record MailLoadOptions
{
    public required MailEndpoint Smtp { get; init; }
    public required MailEndpoint Imap { get; init; }
    public required string Domain { get; init; }
    public required IReadOnlyList<MailUser> Users { get; init; }

    /// <summary>Prefix of every message id of this run, so mail of earlier runs in the same mailboxes is ignored.</summary>
    public required string RunId { get; init; }

    public double RatePerSecond { get; init; } = 5;

    /// <summary>Stop after this many messages (null: only <see cref="Duration"/> limits the run).</summary>
    public int? Count { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Sending stops once this file exists: another program (the chaos run) decides when the load ends.</summary>
    public string? StopFile { get; init; }

    /// <summary>How long to wait after sending for every accepted message to show up in its mailbox.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (Users.Count == 0)
        {
            throw new ArgumentException("at least one mailbox user is needed");
        }
        if (RatePerSecond is <= 0 or > 1000)
        {
            throw new ArgumentException($"rate {RatePerSecond} is outside (0, 1000] messages per second");
        }
        if (Count is null && Duration is null && StopFile is null)
        {
            throw new ArgumentException("give a message count, a duration or a stop file");
        }
        if (Count is <= 0)
        {
            throw new ArgumentException($"count {Count} must be positive");
        }
    }
}
