using System.Collections.Concurrent;
using Tandem.Agents.Execution;
using Tandem.Agents.Scripted;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Scripted;

/// <summary>The executor's timing and scheduling, on scripted agents and a manual clock.</summary>
public sealed class ScriptedExecutorTests : IAsyncDisposable
{
    private const string DummyPath = "/usr/lib/ocf/resource.d/heartbeat/Dummy";
    private static readonly AgentName Dummy = AgentName.Parse("ocf:heartbeat:Dummy");

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedAgentLauncher _launcher;
    private readonly ScriptedAgent _agent;
    private readonly Executor _executor;

    public ScriptedExecutorTests()
    {
        _launcher = new ScriptedAgentLauncher(_time);
        _agent = _launcher.Define(DummyPath);
        _executor = new Executor(new ExecutorOptions { MaxConcurrentOperations = 2, KillGrace = TimeSpan.FromSeconds(5), NodeName = "astapor" }, _launcher, _time);
    }

    public async ValueTask DisposeAsync() => await _executor.DisposeAsync();

    private static OperationRequest Op(string resource, string action, long intervalMs = 0, long timeoutMs = 20_000) =>
        new(resource, Dummy, action) { IntervalMs = intervalMs, TimeoutMs = timeoutMs };

    [Fact]
    public async Task Default_behaviour_tracks_state_per_instance()
    {
        Assert.Equal(OperationStatus.NotRunning, (await _executor.RunAsync(Op("a", "monitor"))).Status);
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("a", "start"))).Status);
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("a", "promote"))).Status);
        Assert.Equal(OperationStatus.Promoted, (await _executor.RunAsync(Op("a", "monitor"))).Status);
        Assert.Equal(OperationStatus.NotRunning, (await _executor.RunAsync(Op("b", "monitor"))).Status);
        Assert.Equal("a", _agent.Calls[^2].Instance);
        Assert.Equal("monitor", _agent.Calls[^2].Action);
        Assert.Equal("astapor", _agent.Calls[^2].Environment["OCF_RESKEY_CRM_meta_on_node"]);
    }

    [Fact]
    public async Task A_hang_times_out_on_the_clock_and_a_term_proof_agent_gets_sigkill_after_the_grace()
    {
        _agent.Next("start", ScriptedStep.Hung(ignoresTerm: true));
        var run = _executor.RunAsync(Op("a", "start", timeoutMs: 30_000));
        await Eventually.True(() => _time.PendingTimers > 0, "the timeout to be armed");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        // Now SIGTERM was ignored; the grace period runs on the same clock.
        await Eventually.True(() => _time.PendingTimers > 0 && _launcher.RunningCount == 1, "the grace period to start");
        _time.Advance(TimeSpan.FromSeconds(5));
        var result = await run;
        Assert.Equal(OperationStatus.Timeout, result.Status);
        Assert.Equal(9, result.Signal);
        Assert.Equal(0, _launcher.RunningCount);
    }

    [Fact]
    public async Task An_agent_that_survives_sigkill_does_not_hang_the_operation()
    {
        _agent.Next("stop", new ScriptedStep { Hang = true, Unkillable = true });
        var run = _executor.RunAsync(Op("a", "stop", timeoutMs: 10_000));
        await Eventually.True(() => _time.PendingTimers > 0, "the timeout to be armed");
        _time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.True(() => _time.PendingTimers > 0, "the wait after SIGKILL");
        _time.Advance(TimeSpan.FromSeconds(15));
        var result = await run;
        Assert.Equal(OperationStatus.Timeout, result.Status);
        Assert.Contains("did not die on SIGKILL", result.ExitReason, StringComparison.Ordinal);
        Assert.Equal(1, _launcher.RunningCount);
    }

    [Fact]
    public async Task Delays_finish_on_the_clock()
    {
        _agent.Next("stop", new ScriptedStep { Delay = TimeSpan.FromSeconds(10), ExitCode = 1, ExitReason = "device busy" });
        var run = _executor.RunAsync(Op("a", "stop"));
        await Eventually.True(() => _time.PendingTimers >= 2, "the delay and the timeout to be armed");
        _time.Advance(TimeSpan.FromSeconds(10));
        var result = await run;
        Assert.Equal(OperationStatus.Error, result.Status);
        Assert.Equal("device busy", result.ExitReason);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Duration);
    }

    [Fact]
    public async Task Operations_of_one_resource_are_serialised_in_arrival_order()
    {
        _agent.Next("start", new ScriptedStep { Delay = TimeSpan.FromSeconds(3), SetsState = ScriptedState.Started });
        var start = _executor.RunAsync(Op("a", "start"));
        await Eventually.True(() => _agent.Calls.Count == 1, "start to run");
        var monitor = _executor.RunAsync(Op("a", "monitor"));
        var other = _executor.RunAsync(Op("b", "monitor"));
        // b is another resource: it runs at once; a's monitor waits for a's start.
        Assert.Equal(OperationStatus.NotRunning, (await other).Status);
        Assert.False(monitor.IsCompleted);
        Assert.Equal(2, _agent.Calls.Count);
        _time.Advance(TimeSpan.FromSeconds(3));
        await start;
        Assert.Equal(OperationStatus.Success, (await monitor).Status);
        Assert.Equal(["start", "monitor", "monitor"], _agent.Calls.Select(c => c.Action));
    }

    [Fact]
    public async Task Different_resources_run_concurrently_up_to_the_limit()
    {
        _agent.Always("start", new ScriptedStep { Delay = TimeSpan.FromSeconds(1) });
        var runs = Enumerable.Range(0, 5).Select(i => _executor.RunAsync(Op($"r{i}", "start"))).ToList();
        await Eventually.True(() => _agent.Calls.Count == 2, "two operations to run");
        await Task.Delay(50);
        Assert.Equal(2, _agent.Calls.Count);
        for (var round = 0; round < 3; round++)
        {
            await Eventually.True(() => _launcher.RunningCount > 0 && _time.PendingTimers >= 2 * _launcher.RunningCount, "the running operations to arm their timers");
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.Equal(OperationStatus.Success, r.Status));
        Assert.Equal(5, _agent.Calls.Count);
    }

    [Fact]
    public async Task A_recurring_monitor_reports_its_first_result_then_only_changes()
    {
        await _executor.RunAsync(Op("a", "start"));
        var reports = new ConcurrentQueue<OperationResult>();
        var recurring = _executor.StartRecurring(Op("a", "monitor", intervalMs: 10_000), reports.Enqueue);
        await Eventually.True(() => reports.Count == 1, "the first result");
        for (var i = 0; i < 3; i++)
        {
            await Eventually.True(() => recurring.Runs == i + 1 && _time.PendingTimers > 0, "the interval timer");
            _time.Advance(TimeSpan.FromSeconds(10));
        }
        await Eventually.True(() => recurring.Runs == 4, "four runs");
        Assert.Single(reports);

        _agent.SetState("a", ScriptedState.Stopped);
        await Eventually.True(() => _time.PendingTimers > 0, "the interval timer");
        _time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.True(() => reports.Count == 2, "the change to be reported");
        Assert.Equal(OperationStatus.NotRunning, reports.Last().Status);
        Assert.Equal(10_000, reports.Last().IntervalMs);

        await _executor.CancelRecurringAsync("a", "monitor", 10_000);
        Assert.Equal(OperationStatus.Cancelled, reports.Last().Status);
        Assert.Empty(_executor.RecurringKeys);
        var runs = recurring.Runs;
        _time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50);
        Assert.Equal(runs, recurring.Runs);
    }

    [Fact]
    public async Task Cancelling_a_recurring_monitor_kills_a_run_in_progress()
    {
        _agent.Always("monitor", ScriptedStep.Hung());
        var reports = new ConcurrentQueue<OperationResult>();
        _executor.StartRecurring(Op("a", "monitor", intervalMs: 5_000), reports.Enqueue);
        await Eventually.True(() => _launcher.RunningCount == 1, "the monitor to run");
        await _executor.CancelAllRecurringAsync("a");
        Assert.Equal(0, _launcher.RunningCount);
        var report = Assert.Single(reports);
        Assert.Equal(OperationStatus.Cancelled, report.Status);
    }

    [Fact]
    public async Task A_missing_scripted_agent_is_not_installed()
    {
        var result = await _executor.RunAsync(new OperationRequest("x", AgentName.Parse("ocf:heartbeat:IPaddr2"), "start"));
        Assert.Equal(OcfExitCode.ErrInstalled, result.ExitCode);
    }

    [Fact]
    public async Task Fence_agents_read_their_action_from_stdin()
    {
        var fence = _launcher.Define("/usr/sbin/fence_test");
        fence.Next("status", ScriptedStep.Exit(2));
        var result = await _executor.RunAsync(new OperationRequest("f", AgentName.Parse("stonith:fence_test"), "status")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = "192.0.2.1" },
        });
        Assert.Equal(OperationStatus.NotRunning, result.Status);
        Assert.Equal("action=status\nip=192.0.2.1\n", fence.Calls.Single().StandardInput);
    }
}
