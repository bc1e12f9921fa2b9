using System.Collections.Concurrent;
using System.Globalization;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Execution;

/// <summary>
/// Runs agent operations on this node. Operations of one resource run one at a time in arrival order;
/// different resources run concurrently up to <see cref="ExecutorOptions.MaxConcurrentOperations"/>.
/// Each agent runs in its own session and process group with the operation's timeout: on expiry (or
/// cancellation) the whole group gets SIGTERM, then SIGKILL after <see cref="ExecutorOptions.KillGrace"/>.
/// Recurring monitors run on their interval and report their first result and then only changes.
/// All waiting goes through the <see cref="TimeProvider"/>, so the simulator drives it with a manual clock.
/// </summary>
public sealed class Executor : IAsyncDisposable
{
    private readonly ExecutorOptions _options;
    private readonly IProcessLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _resourceGates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecurringOperation> _recurring = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    public Executor(ExecutorOptions options, IProcessLauncher launcher, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentOperations, 1);
        _options = options;
        _launcher = launcher ?? throw new ArgumentNullException(nameof(launcher));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _slots = new SemaphoreSlim(options.MaxConcurrentOperations, options.MaxConcurrentOperations);
    }

    public ExecutorOptions Options => _options;

    /// <summary>The keys (RESOURCE_ACTION_INTERVAL) of the recurring operations in force.</summary>
    public IReadOnlyCollection<string> RecurringKeys => [.. _recurring.Keys];

    /// <summary>Runs one operation to its end. Never throws for agent failures: those are results.</summary>
    public async Task<OperationResult> RunAsync(OperationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var token = linked.Token;
        var gate = _resourceGates.GetOrAdd(request.ResourceId, _ => new SemaphoreSlim(1, 1));
        try
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Cancelled(request, _time.GetUtcNow(), TimeSpan.Zero, null);
        }
        try
        {
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Cancelled(request, _time.GetUtcNow(), TimeSpan.Zero, null);
            }
            try
            {
                return await ExecuteAsync(request, token).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Starts a recurring operation (normally a monitor with an interval): it runs now and then every
    /// interval after the previous run ended. <paramref name="report"/> gets the first result and every
    /// result that differs from the last one reported, and a <see cref="OperationStatus.Cancelled"/>
    /// result when the operation is cancelled. A recurring operation with the same key replaces the old one.
    /// </summary>
    public RecurringOperation StartRecurring(OperationRequest request, Action<OperationResult> report)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.IntervalMs, 0);
        var recurring = new RecurringOperation(this, request, report, _time, _shutdown.Token);
        if (_recurring.TryRemove(request.Key, out var previous))
        {
            previous.Cancel();
        }
        _recurring[request.Key] = recurring;
        recurring.Start();
        return recurring;
    }

    /// <summary>Cancels the recurring operation with this key (killing a run in progress) and waits for it to end.</summary>
    public async Task<bool> CancelRecurringAsync(string resourceId, string action, long intervalMs)
    {
        if (!_recurring.TryRemove($"{resourceId}_{action}_{intervalMs}", out var recurring))
        {
            return false;
        }
        await recurring.CancelAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Cancels every recurring operation of a resource, as before stopping it.</summary>
    public async Task CancelAllRecurringAsync(string resourceId)
    {
        var prefix = resourceId + "_";
        var mine = _recurring.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value.Request.ResourceId == resourceId).ToList();
        foreach (var (key, recurring) in mine)
        {
            _recurring.TryRemove(key, out _);
            await recurring.CancelAsync().ConfigureAwait(false);
        }
    }

    internal void Forget(RecurringOperation recurring) =>
        _recurring.TryRemove(new KeyValuePair<string, RecurringOperation>(recurring.Request.Key, recurring));

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var recurring in _recurring.Values)
        {
            await recurring.CancelAsync().ConfigureAwait(false);
        }
        _recurring.Clear();
        _shutdown.Dispose();
        _slots.Dispose();
    }

    private async Task<OperationResult> ExecuteAsync(OperationRequest request, CancellationToken token)
    {
        var startedAt = _time.GetUtcNow();
        var startedTicks = _time.GetTimestamp();
        TimeSpan Elapsed() => _time.GetElapsedTime(startedTicks);

        if (request.Action == "meta-data" && request.Agent.Class is AgentClass.Lsb or AgentClass.Systemd)
        {
            return SyntheticMetaData(request, startedAt);
        }

        ProcessSpec? spec;
        try
        {
            spec = AgentCommand.Build(request, _options);
        }
        catch (ArgumentException e)
        {
            return Completed(request, startedAt, Elapsed(), OcfExitCode.ErrConfigured, e.Message);
        }
        if (spec is null)
        {
            return Completed(request, startedAt, Elapsed(), OcfExitCode.Success, null);
        }

        IAgentProcess process;
        try
        {
            process = _launcher.Start(spec);
        }
        catch (ProcessLaunchException e)
        {
            var (code, reason) = ResultMapper.FromLaunchFailure(e);
            return Completed(request, startedAt, Elapsed(), code, reason);
        }

        using (process)
        {
            var timeout = TimeSpan.FromMilliseconds(request.TimeoutMs);
            try
            {
                var exit = await process.Exited.WaitAsync(timeout, _time, token).ConfigureAwait(false);
                return FromExit(request, startedAt, Elapsed(), exit);
            }
            catch (TimeoutException)
            {
                var exit = await EndAsync(process).ConfigureAwait(false);
                if (exit is null)
                {
                    return Completed(request, startedAt, Elapsed(), OcfExitCode.ErrGeneric,
                        $"{request.Action} timed out after {FormatMs(request.TimeoutMs)} and the agent did not die on SIGKILL (stuck in the kernel?)") with
                    {
                        Status = OperationStatus.Timeout,
                    };
                }
                return FromExit(request, startedAt, Elapsed(), exit) with
                {
                    Status = OperationStatus.Timeout,
                    ExitCode = OcfExitCode.ErrGeneric,
                    ErrorClass = ErrorClass.Soft,
                    ExitReason = $"{request.Action} timed out after {FormatMs(request.TimeoutMs)}",
                };
            }
            catch (OperationCanceledException)
            {
                var exit = await EndAsync(process).ConfigureAwait(false);
                return Cancelled(request, startedAt, Elapsed(), exit);
            }
        }
    }

    /// <summary>Ends the agent's process group and collects its exit, or null when even SIGKILL did not
    /// end it in time (a process in uninterruptible sleep): the operation must not hang with it.</summary>
    private async Task<ProcessExit?> EndAsync(IAgentProcess process)
    {
        await process.TerminateGroupAsync(_options.KillGrace).ConfigureAwait(false);
        try
        {
            return await process.Exited.WaitAsync(_options.KillGrace + TimeSpan.FromSeconds(10), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private OperationResult FromExit(OperationRequest request, DateTimeOffset startedAt, TimeSpan duration, ProcessExit exit)
    {
        var (status, code, errorClass) = ResultMapper.Map(request.Agent.Class, request.Action, exit);
        // Only OCF agents speak the exit-reason protocol (as in Pacemaker).
        var reason = request.Agent.Class == AgentClass.Ocf ? exit.Stderr.ExitReason : null;
        if (exit.Signal is { } signal)
        {
            reason ??= $"agent was killed by signal {signal} ({SignalName(signal)})";
        }
        return new OperationResult
        {
            ResourceId = request.ResourceId,
            Action = request.Action,
            IntervalMs = request.IntervalMs,
            Status = status,
            ExitCode = code,
            RawExitCode = exit.ExitCode,
            Signal = exit.Signal,
            ErrorClass = errorClass,
            ExitReason = reason,
            Stdout = exit.Stdout.Text,
            Stderr = exit.Stderr.Text,
            StartedAt = startedAt,
            Duration = duration,
        };
    }

    private static OperationResult Completed(OperationRequest request, DateTimeOffset startedAt, TimeSpan duration, OcfExitCode code, string? reason) => new()
    {
        ResourceId = request.ResourceId,
        Action = request.Action,
        IntervalMs = request.IntervalMs,
        Status = ResultMapper.StatusOf(code),
        ExitCode = code,
        ErrorClass = ResultMapper.ClassOf(code),
        ExitReason = reason,
        StartedAt = startedAt,
        Duration = duration,
    };

    private OperationResult SyntheticMetaData(OperationRequest request, DateTimeOffset startedAt)
    {
        var xml = request.Agent.Class == AgentClass.Lsb
            ? Metadata.SyntheticMetadata.ForLsb(request.Agent.Type, AgentCommand.AgentPath(request.Agent, _options))
            : Metadata.SyntheticMetadata.ForSystemd(request.Agent.Type);
        if (xml is null)
        {
            return Completed(request, startedAt, TimeSpan.Zero, OcfExitCode.ErrInstalled,
                $"{AgentCommand.AgentPath(request.Agent, _options)} does not exist");
        }
        return Completed(request, startedAt, TimeSpan.Zero, OcfExitCode.Success, null) with { Stdout = xml };
    }

    private static OperationResult Cancelled(OperationRequest request, DateTimeOffset startedAt, TimeSpan duration, ProcessExit? exit) => new()
    {
        ResourceId = request.ResourceId,
        Action = request.Action,
        IntervalMs = request.IntervalMs,
        Status = OperationStatus.Cancelled,
        ExitCode = OcfExitCode.ErrGeneric,
        RawExitCode = exit?.ExitCode,
        Signal = exit?.Signal,
        ErrorClass = ErrorClass.None,
        ExitReason = "operation cancelled",
        Stdout = exit?.Stdout.Text ?? "",
        Stderr = exit?.Stderr.Text ?? "",
        StartedAt = startedAt,
        Duration = duration,
    };

    private static string FormatMs(long ms) =>
        ms % 1000 == 0 ? $"{(ms / 1000).ToString(CultureInfo.InvariantCulture)}s" : $"{ms.ToString(CultureInfo.InvariantCulture)}ms";

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };
}
