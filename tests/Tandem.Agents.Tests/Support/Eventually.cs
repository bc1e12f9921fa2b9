namespace Tandem.Agents.Tests.Support;

/// <summary>Waits for something the code under test does on other threads; fails after a generous bound
/// (a correctness bound, not a speed assertion).</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int timeoutMs = 20_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}
