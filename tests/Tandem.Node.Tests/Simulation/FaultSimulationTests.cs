using System.Globalization;
using Microsoft.Extensions.Logging;
using Tandem.Node.Tests.Simulation.Faults;
using Xunit.Abstractions;

namespace Tandem.Node.Tests.Simulation;

/// <summary>
/// Deterministic simulation of the seed's cluster under random faults, each seed checked for the safety
/// invariants after every step and for convergence at the end. A failing seed prints itself with its
/// trace; TANDEM_SIM_SEED replays it (TANDEM_SIM_LOG=1 adds the daemons' logs).
/// </summary>
public class FaultSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Replay()
    {
        // With TANDEM_SIM_SEED a failing seed runs alone, with the daemons' logs when TANDEM_SIM_LOG=1.
        var seed = Environment.GetEnvironmentVariable("TANDEM_SIM_SEED") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 42;
        using var logs = Environment.GetEnvironmentVariable("TANDEM_SIM_LOG") == "1"
            ? LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)))
            : null;
        var outcome = FaultSimulator.Run(seed, logs: logs);
        output.WriteLine(outcome.Held ? $"seed {seed}: every invariant held and the cluster converged\n  " + string.Join("\n  ", outcome.Trace) : outcome.Report());
        Assert.True(outcome.Held, outcome.Report());
    }

    [Fact]
    public void A_seed_replays_the_same_run()
    {
        var first = FaultSimulator.Run(12_345, stopDoesNothingFor: "vip");
        var second = FaultSimulator.Run(12_345, stopDoesNothingFor: "vip");
        Assert.Equal(first.Report(), second.Report());
        var third = FaultSimulator.Run(777);
        Assert.Equal(third.Report(), FaultSimulator.Run(777).Report());
    }

    private sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            output.WriteLine($"[{category}] {formatter(state, exception)}");
    }
}
