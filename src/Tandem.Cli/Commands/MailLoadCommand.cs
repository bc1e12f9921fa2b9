using System.CommandLine;
using System.Globalization;
using Tandem.Mail;
using Tandem.Model.Durations;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem mail-load`: the end-to-end check of a mail service. Sends numbered messages over SMTP at a
/// steady rate, reads the mailboxes back over IMAP, and reports accepted, delivered, lost, duplicated
/// and the outages the client saw. Exit code 1 when an accepted message is lost or duplicated.
/// </summary>
public static class MailLoadCommand
{
    public static Command Create()
    {
        var smtp = new Option<string>("--smtp") { Description = "SMTP server HOST[:PORT] (port 25 by default)", Required = true };
        var imap = new Option<string?>("--imap") { Description = "IMAP server HOST[:PORT] (port 143; the SMTP host by default)" };
        var domain = new Option<string>("--domain") { Description = "The recipients' mail domain", Required = true };
        var users = new Option<string>("--users") { Description = "Mailboxes as USER:PASSWORD,... (messages go to them in turn)", Required = true };
        var rate = new Option<double>("--rate") { Description = "Messages per second", DefaultValueFactory = _ => 5 };
        var count = new Option<int?>("--count") { Description = "Number of messages to send" };
        var duration = new Option<string?>("--duration") { Description = "How long to send (30s, 2min); with --count, whichever ends first" };
        var stopFile = new Option<string?>("--stop-file") { Description = "Stop sending once this file exists (then read back and report)" };
        var settle = new Option<string>("--settle") { Description = "How long to wait for accepted messages to be delivered", DefaultValueFactory = _ => "60s" };
        var runId = new Option<string?>("--run-id") { Description = "Prefix of this run's message ids (a new one by default)" };
        var report = new Option<string?>("--report") { Description = "Also write the JSON report to this file" };
        var json = CommonOptions.Json();
        var command = new Command("mail-load", "Send numbered mail over SMTP, read it back over IMAP, report lost and duplicated messages and outages")
        {
            smtp, imap, domain, users, rate, count, duration, stopFile, settle, runId, report, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var smtpEndpoint = ParseEndpoint(parse.GetValue(smtp)!, 25, "--smtp");
            var options = new MailLoadOptions
            {
                Smtp = smtpEndpoint,
                Imap = ParseEndpoint(parse.GetValue(imap) ?? smtpEndpoint.Host, 143, "--imap"),
                Domain = parse.GetValue(domain)!,
                Users = ParseUsers(parse.GetValue(users)!),
                RunId = parse.GetValue(runId) ?? DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                RatePerSecond = parse.GetValue(rate),
                Count = parse.GetValue(count),
                Duration = parse.GetValue(duration) is { } d ? ParseDuration(d, "--duration") : null,
                StopFile = parse.GetValue(stopFile) is { } f ? Path.GetFullPath(f) : null,
                SettleTimeout = ParseDuration(parse.GetValue(settle)!, "--settle"),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, 2);
            }
            var result = await new MailLoadRunner(options, TimeProvider.System, m => Console.Error.WriteLine($"mail-load: {m}"))
                .RunAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(report) is { } path)
            {
                await File.WriteAllTextAsync(path, result.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            Console.Write(parse.GetValue(json) ? result.ToJson() + Environment.NewLine : result.ToText());
            return result.Passed ? 0 : 1;
        });
        return command;
    }

    private static MailEndpoint ParseEndpoint(string text, int defaultPort, string option)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return new MailEndpoint(text, defaultPort);
        }
        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? new MailEndpoint(text[..colon], port)
            : throw new CliException($"{option} '{text}': the port must be a number from 1 to 65535", 2);
    }

    private static MailUser[] ParseUsers(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
            entry.Split(':', 2) is [var user, var password] && user.Length > 0
                ? new MailUser(user, password)
                : throw new CliException($"--users entry '{entry}' is not USER:PASSWORD", 2))];

    private static TimeSpan ParseDuration(string text, string option) =>
        Duration.TryParse(text, out var duration, out var error)
            ? TimeSpan.FromMilliseconds(duration.Milliseconds)
            : throw new CliException($"{option} '{text}': {error}", 2);
}
