using Tandem.Agents.Processes;

namespace Tandem.Agents.Scripted;

/// <summary>A scripted agent's run: ends after its step's delay, or when signalled.</summary>
internal sealed class ScriptedProcess : IAgentProcess
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly ScriptedStep _step;
    private readonly OutputLimits _limits;
    private readonly TimeProvider _time;
    private readonly Action<ScriptedProcess> _ended;
    private readonly TaskCompletionSource<ProcessExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;

    public ScriptedProcess(int id, ScriptedStep step, OutputLimits limits, TimeProvider time, Action<ScriptedProcess> ended)
    {
        Id = id;
        _step = step;
        _limits = limits;
        _time = time;
        _ended = ended;
    }

    public int Id { get; }

    public Task<ProcessExit> Exited => _exit.Task;

    public bool IsGroupAlive => !_exit.Task.IsCompleted;

    public void Run()
    {
        if (_step.Hang)
        {
            return;
        }
        if (_step.Delay <= TimeSpan.Zero)
        {
            Finish();
            return;
        }
        _timer = _time.CreateTimer(_ => Finish(), null, _step.Delay, Timeout.InfiniteTimeSpan);
    }

    public async Task TerminateGroupAsync(TimeSpan grace)
    {
        if (!_step.IgnoresTerm)
        {
            End(SigTerm);
            return;
        }
        if (_exit.Task.IsCompleted)
        {
            return;
        }
        try
        {
            await _exit.Task.WaitAsync(grace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            End(SigKill);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Finish()
    {
        var stdout = Capture(_step.Stdout);
        var stderr = Capture(_step.Stderr + (_step.ExitReason is null ? "" : $"{OutputCapture.ExitReasonPrefix}{_step.ExitReason}\n"));
        var exit = _step.CrashSignal is { } signal
            ? ProcessExit.Killed(signal, stdout, stderr)
            : ProcessExit.Exited(_step.ExitCode, stdout, stderr);
        if (_exit.TrySetResult(exit))
        {
            _ended(this);
        }
    }

    private void End(int signal)
    {
        if (_step.Unkillable)
        {
            return;
        }
        _timer?.Dispose();
        if (_exit.TrySetResult(ProcessExit.Killed(signal, Capture(_step.Stdout), Capture(_step.Stderr))))
        {
            _ended(this);
        }
    }

    private CapturedOutput Capture(string text)
    {
        var capture = new OutputCapture(_limits);
        capture.Append(text);
        return capture.Complete();
    }
}
