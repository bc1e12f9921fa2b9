namespace Tandem.Mail.Tests;

public sealed class MailReportTests
{
    private static SendAttempt A(int n, double at, SendOutcome outcome, string? detail = null) => new($"r-{n}", "u@d", at, at + 0.1, outcome, detail);

    [Fact]
    public void Outages_run_from_the_first_attempt_not_accepted_to_the_end_of_the_next_accepted_one()
    {
        SendAttempt[] attempts =
        [
            A(0, 0, SendOutcome.Accepted),
            A(1, 1, SendOutcome.Failed, "connect timed out"),
            A(2, 2, SendOutcome.Refused, "451 later"),
            A(3, 3, SendOutcome.Accepted),
            A(4, 4, SendOutcome.Uncertain, "no reply"),
            A(5, 5, SendOutcome.Accepted),
            A(6, 6, SendOutcome.Failed, "refused"),
        ];

        var outages = MailReport.FindOutages(attempts);

        Assert.Equal(3, outages.Count);
        Assert.Equal((1.0, 3.1, 2, "connect timed out"), (outages[0].StartSeconds, outages[0].EndSeconds!.Value, outages[0].FailedAttempts, outages[0].FirstError));
        Assert.Equal(2.1, outages[0].DurationSeconds!.Value, 6);
        Assert.Equal((4.0, 5.1), (outages[1].StartSeconds, outages[1].EndSeconds!.Value));
        Assert.Null(outages[2].EndSeconds);
    }

    [Fact]
    public void A_refused_message_found_in_a_mailbox_is_unexpected()
    {
        SendAttempt[] attempts = [A(0, 0, SendOutcome.Accepted), A(1, 1, SendOutcome.Refused)];

        var report = MailReport.Build(attempts, ["r-0", "r-1", "r-9"], 2);

        Assert.False(report.Passed);
        Assert.Equal(["r-1", "r-9"], report.Unexpected);
        Assert.Empty(report.Lost);
    }

    [Fact]
    public void Text_and_json_name_the_lost_ids()
    {
        SendAttempt[] attempts = [A(0, 0, SendOutcome.Accepted), A(1, 1, SendOutcome.Accepted)];

        var report = MailReport.Build(attempts, ["r-0"], 2);

        Assert.Contains("FAILED", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("lost: r-1", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("\"lost\": [\n    \"r-1\"", report.ToJson().Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"passed\": false", report.ToJson(), StringComparison.Ordinal);
    }
}
