namespace Tandem.Agents.Execution;

/// <summary>A recurring operation in force: runs its request every interval until cancelled, reporting
/// only changes. Created by <see cref="Executor.StartRecurring"/>.</summary>
public sealed class RecurringOperation
{
    private readonly Executor _executor;
    private readonly Action<OperationResult> _report;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cancel;
    private Task _loop = Task.CompletedTask;

    internal RecurringOperation(Executor executor, OperationRequest request, Action<OperationResult> report, TimeProvider time, CancellationToken shutdown)
    {
        _executor = executor;
        Request = request;
        _report = report;
        _time = time;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public OperationRequest Request { get; }

    /// <summary>The last result reported (null before the first run ends).</summary>
    public OperationResult? LastReported { get; private set; }

    /// <summary>How many times the operation has run.</summary>
    public int Runs { get; private set; }

    /// <summary>Completes when the recurring operation has ended (after cancellation).</summary>
    public Task Completion => _loop;

    internal void Start() => _loop = Task.Run(LoopAsync);

    internal void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended.
        }
    }

    public async Task CancelAsync()
    {
        Cancel();
        await _loop.ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        var token = _cancel.Token;
        var interval = TimeSpan.FromMilliseconds(Request.IntervalMs);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = await _executor.RunAsync(Request, token).ConfigureAwait(false);
                Runs++;
                if (result.Status == OperationStatus.Cancelled)
                {
                    break;
                }
                if (LastReported is null || LastReported.DiffersFrom(result))
                {
                    LastReported = result;
                    Report(result);
                }
                try
                {
                    await Task.Delay(interval, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Report(new OperationResult
            {
                ResourceId = Request.ResourceId,
                Action = Request.Action,
                IntervalMs = Request.IntervalMs,
                Status = OperationStatus.Cancelled,
                ExitCode = OcfExitCode.ErrGeneric,
                ExitReason = "recurring operation cancelled",
                StartedAt = _time.GetUtcNow(),
            });
        }
        finally
        {
            _executor.Forget(this);
            _cancel.Dispose();
        }
    }

    private void Report(OperationResult result)
    {
        // The observer is the daemon's; an exception there must not end monitoring of the resource.
        try
        {
            _report(result);
        }
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
