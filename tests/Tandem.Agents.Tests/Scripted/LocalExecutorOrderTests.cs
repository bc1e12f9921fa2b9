using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Agents.Execution;
using Tandem.Agents.Scripted;
using Tandem.Agents.Tests.Support;
using Tandem.Node.Coordination;
using Tandem.Node.Execution;

namespace Tandem.Agents.Tests.Scripted;

/// <summary>
/// The daemon's executor handles a resource's requests in delivery order, as the coordinator relies on:
/// a monitor of the Promoted role delivered right after the promote must find the resource promoted,
/// even when the promote first has to end an Unpromoted monitor that is slow to die.
/// </summary>
public sealed class LocalExecutorOrderTests : IAsyncDisposable
{
    private const string DummyPath = "/usr/lib/ocf/resource.d/heartbeat/Dummy";

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedAgentLauncher _launcher;
    private readonly ScriptedAgent _agent;
    private readonly Executor _executor;
    private readonly ConcurrentQueue<(string Key, OperationResult Result)> _reports = new();
    private readonly LocalExecutor _local;

    public LocalExecutorOrderTests()
    {
        _launcher = new ScriptedAgentLauncher(_time);
        _agent = _launcher.Define(DummyPath);
        _executor = new Executor(new ExecutorOptions { KillGrace = TimeSpan.FromSeconds(5), NodeName = "astapor" }, _launcher, _time);
        _local = new LocalExecutor(_executor, (action, result) => _reports.Enqueue(($"{action.Task}_{action.IntervalMs}", result)), NullLogger.Instance);
    }

    public async ValueTask DisposeAsync() => await _executor.DisposeAsync();

    private static ExecuteAction Action(string task, long intervalMs = 0, Dictionary<string, string>? meta = null) =>
        new($"{task}-{intervalMs}", "astapor", "db", "ocf", "heartbeat", "Dummy", task, intervalMs, 20_000, new Dictionary<string, string>(), meta ?? []);

    private OperationResult FirstReport(string key) => _reports.First(r => r.Key == key).Result;

    [Fact]
    public async Task A_promoted_monitor_delivered_after_the_promote_never_overtakes_it()
    {
        _local.Handle(Action("start"));
        _local.Handle(Action("monitor", 2000));
        await Eventually.True(() => _reports.Any(r => r.Key == "monitor_2000"), "the Unpromoted monitor's first result");
        Assert.Equal(OperationStatus.Success, FirstReport("monitor_2000").Status);

        // The Unpromoted monitor's next run hangs and ignores SIGTERM: ending it takes the kill grace.
        _agent.Next("monitor", ScriptedStep.Hung(ignoresTerm: true));
        _time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.True(() => _launcher.RunningCount == 1, "the hung monitor run");

        _local.Handle(Action("cancel", 2000, new Dictionary<string, string> { ["operation"] = "monitor" }));
        _local.Handle(Action("promote"));
        _local.Handle(Action("monitor", 3000));
        // Give every request time to reach whatever it waits for, then let SIGKILL end the hung run.
        await Task.Delay(200);
        await Eventually.True(() => _time.PendingTimers > 0, "the kill grace to be armed");
        _time.Advance(TimeSpan.FromSeconds(5));

        await Eventually.True(() => _reports.Any(r => r.Key == "monitor_3000"), "the Promoted monitor's first result");
        await _local.Idle();
        Assert.Equal(["start_0", "monitor_2000", "cancel_2000", "promote_0", "monitor_3000"], _reports.Select(r => r.Key));
        Assert.Equal(OperationStatus.Success, FirstReport("promote_0").Status);
        Assert.Equal(OperationStatus.Promoted, FirstReport("monitor_3000").Status);
        Assert.Equal(["start", "monitor", "monitor", "promote", "monitor"], _agent.Calls.Select(c => c.Action));
    }
}
