using System.Net;
using System.Net.Sockets;

namespace Tandem.Mail.Tests;

public sealed class MailLoadRunnerTests
{
    private static readonly MailUser[] Users = [new("alice", "secret-a"), new("bob", "pa\"ss\\b")];

    /// <summary>Runs the load against a fake server: <paramref name="count"/> messages, or until <paramref name="stopFile"/> appears.</summary>
    private static async Task<(MailReport Report, FakeMailServer Server)> RunAsync(Func<int, FakeDelivery> delivery, int? count = 6, string? stopFile = null)
    {
        var server = new FakeMailServer { Delivery = delivery };
        foreach (var user in Users)
        {
            server.Passwords[user.Name] = user.Password;
        }
        var options = new MailLoadOptions
        {
            Smtp = server.SmtpEndpoint,
            Imap = server.ImapEndpoint,
            Domain = "lab.test",
            Users = Users,
            RunId = "r1",
            RatePerSecond = 200,
            Count = count,
            StopFile = stopFile,
            SettleTimeout = TimeSpan.FromSeconds(1),
        };
        var report = await new MailLoadRunner(options, TimeProvider.System).RunAsync(CancellationToken.None);
        return (report, server);
    }

    [Fact]
    public async Task Every_accepted_message_is_read_back_from_the_mailbox_of_its_recipient()
    {
        var (report, server) = await RunAsync(_ => FakeDelivery.Store);
        await using var _ = server;

        Assert.True(report.Passed, report.ToText());
        Assert.Equal(6, report.Accepted);
        Assert.Equal(6, report.Delivered);
        Assert.Equal(3, server.Mailboxes["alice"].Count);
        Assert.Equal(3, server.Mailboxes["bob"].Count);
        Assert.Empty(report.Outages);
        // Dot-stuffing survived the round trip: the server un-stuffed the line to its original.
        Assert.Contains("\r\n.A line that starts with a dot.\r\n", server.Mailboxes["alice"].First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_stops_once_the_stop_file_appears_and_what_was_sent_is_still_checked()
    {
        var stop = Path.Combine(Path.GetTempPath(), $"mail-stop-{Guid.NewGuid():N}");
        try
        {
            var (report, server) = await RunAsync(n =>
            {
                if (n == 3)
                {
                    File.WriteAllText(stop, "");
                }
                return FakeDelivery.Store;
            }, count: null, stopFile: stop);
            await using var _ = server;

            Assert.True(report.Passed, report.ToText());
            Assert.Equal(4, report.Attempted);
            Assert.Equal(4, report.Delivered);
        }
        finally
        {
            File.Delete(stop);
        }
    }

    [Fact]
    public async Task A_message_accepted_and_then_dropped_is_reported_lost_by_its_id()
    {
        var (report, server) = await RunAsync(n => n == 2 ? FakeDelivery.AcceptButDrop : FakeDelivery.Store);
        await using var _ = server;

        Assert.False(report.Passed);
        Assert.Equal(["r1-000002"], report.Lost);
        Assert.Equal(5, report.Delivered);
    }

    [Fact]
    public async Task A_message_stored_twice_is_reported_duplicated()
    {
        var (report, server) = await RunAsync(n => n == 4 ? FakeDelivery.StoreTwice : FakeDelivery.Store);
        await using var _ = server;

        Assert.False(report.Passed);
        Assert.Equal(["r1-000004"], report.Duplicated);
        Assert.Empty(report.Lost);
    }

    [Fact]
    public async Task Refusals_are_not_expected_in_mailboxes_and_make_an_outage_window()
    {
        var (report, server) = await RunAsync(n => n is 1 or 2 ? FakeDelivery.Refuse : FakeDelivery.Store);
        await using var _ = server;

        Assert.True(report.Passed, report.ToText());
        Assert.Equal(2, report.Refused);
        Assert.Equal(4, report.Accepted);
        var outage = Assert.Single(report.Outages);
        Assert.Equal(2, outage.FailedAttempts);
        Assert.NotNull(outage.EndSeconds);
        Assert.StartsWith("451", outage.FirstError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hang_up_after_the_final_dot_is_uncertain_not_lost_even_when_the_server_kept_the_message()
    {
        var (report, server) = await RunAsync(n => n == 3 ? FakeDelivery.HangUp : FakeDelivery.Store);
        await using var _ = server;

        Assert.True(report.Passed, report.ToText());
        Assert.Equal(1, report.Uncertain);
        Assert.Equal(1, report.UncertainDelivered);
        Assert.Equal(5, report.Accepted);
    }

    [Fact]
    public async Task With_no_server_listening_every_attempt_fails_and_the_outage_stays_open()
    {
        // A port that was just free: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new MailLoadOptions
        {
            Smtp = new MailEndpoint("127.0.0.1", port),
            Imap = new MailEndpoint("127.0.0.1", port),
            Domain = "lab.test",
            Users = Users,
            RunId = "r2",
            RatePerSecond = 100,
            Count = 3,
        };

        var attempts = await new MailLoadRunner(options, TimeProvider.System).SendAsync(CancellationToken.None);
        var report = MailReport.Build(attempts, [], 1);

        Assert.All(attempts, a => Assert.Equal(SendOutcome.Failed, a.Outcome));
        var outage = Assert.Single(report.Outages);
        Assert.Null(outage.EndSeconds);
        Assert.Equal(3, outage.FailedAttempts);
        Assert.True(report.Passed);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_imap_error()
    {
        await using var server = new FakeMailServer();
        server.Passwords["alice"] = "right";
        await using var session = await ImapSession.OpenAsync(server.ImapEndpoint, CancellationToken.None);

        var error = await Assert.ThrowsAsync<MailProtocolException>(() => session.LoginAsync("alice", "wrong", CancellationToken.None));
        Assert.Contains("LOGIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("AUTHENTICATIONFAILED", error.Message, StringComparison.Ordinal);
    }
}
