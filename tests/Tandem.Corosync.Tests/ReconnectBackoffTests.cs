namespace Tandem.Corosync.Tests;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_and_start_over_after_a_success()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(700));
        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        Assert.Equal([100, 200, 400, 700, 700, 700], delays);
        backoff.Reset();
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
    }
}
