using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tandem.Agents.Processes;

/// <summary>A process started by <see cref="PosixProcessLauncher"/>: reaped by a dedicated thread blocked
/// in waitpid (only our own pid, so .NET's own child handling is undisturbed), its output read by two
/// asynchronous readers into <see cref="OutputCapture"/>s.</summary>
internal sealed class PosixProcess : IAgentProcess
{
    private readonly TaskCompletionSource<int> _waitStatus = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly OutputCapture _stdoutCapture;
    private readonly OutputCapture _stderrCapture;
    private readonly TimeSpan _drainTimeout;
    private int _disposed;

    private PosixProcess(int pid, Stream stdout, Stream stderr, OutputLimits limits, TimeSpan drainTimeout)
    {
        Id = pid;
        _stdout = stdout;
        _stderr = stderr;
        _stdoutCapture = new OutputCapture(limits);
        _stderrCapture = new OutputCapture(limits);
        _drainTimeout = drainTimeout;
        var reaper = new Thread(Reap) { IsBackground = true, Name = $"reap {pid}" };
        reaper.Start();
        Exited = CollectAsync();
    }

    public int Id { get; }

    public Task<ProcessExit> Exited { get; }

    public bool IsGroupAlive => Native.kill(-Id, 0) == 0 || Marshal.GetLastPInvokeError() != Native.ESrch;

    private static void Check(int rc, string call)
    {
        // These calls fail only for lack of memory or on invalid arguments; either way nothing may run.
        if (rc != 0)
        {
            throw Failure(call, rc);
        }
    }

    public static unsafe PosixProcess Spawn(ProcessSpec spec, TimeSpan drainTimeout)
    {
        var stdoutFds = stackalloc int[2];
        var stderrFds = stackalloc int[2];
        var stdinFds = stackalloc int[2] { -1, -1 };
        if (Native.pipe2(stdoutFds, Native.OCloExec) != 0)
        {
            throw Failure("pipe2", Marshal.GetLastPInvokeError());
        }
        if (Native.pipe2(stderrFds, Native.OCloExec) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            CloseAll(stdoutFds[0], stdoutFds[1]);
            throw Failure("pipe2", errno);
        }
        if (spec.StandardInput is not null && Native.pipe2(stdinFds, Native.OCloExec) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            CloseAll(stdoutFds[0], stdoutFds[1], stderrFds[0], stderrFds[1]);
            throw Failure("pipe2", errno);
        }

        var actions = NativeMemory.AllocZeroed(Native.FileActionsBytes);
        var attributes = NativeMemory.AllocZeroed(Native.SpawnAttrBytes);
        var signals = NativeMemory.AllocZeroed(Native.SigSetBytes);
        var argvList = new List<string>(spec.Arguments.Count + 1) { spec.Path };
        argvList.AddRange(spec.Arguments);
        using var argv = new NativeStringArray(argvList);
        using var envp = new NativeStringArray([.. spec.Environment.Select(kv => $"{kv.Key}={kv.Value}")]);
        var path = NativeStringArray.Utf8Z(spec.Path);
        var devNull = NativeStringArray.Utf8Z("/dev/null");
        var workingDirectory = NativeStringArray.Utf8Z(spec.WorkingDirectory);
        var pid = 0;
        var rc = -1;
        try
        {
            Check(Native.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(Native.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            fixed (byte* devNullPtr = devNull)
            fixed (byte* cwdPtr = workingDirectory)
            fixed (byte* pathPtr = path)
            {
                Check(spec.StandardInput is null
                    ? Native.posix_spawn_file_actions_addopen(actions, 0, devNullPtr, Native.ORdOnly, 0)
                    : Native.posix_spawn_file_actions_adddup2(actions, stdinFds[0], 0), "posix_spawn_file_actions (stdin)");
                Check(Native.posix_spawn_file_actions_adddup2(actions, stdoutFds[1], 1), "posix_spawn_file_actions_adddup2");
                Check(Native.posix_spawn_file_actions_adddup2(actions, stderrFds[1], 2), "posix_spawn_file_actions_adddup2");
                Check(Native.posix_spawn_file_actions_addchdir_np(actions, cwdPtr), "posix_spawn_file_actions_addchdir_np");
                Check(Native.posix_spawnattr_setflags(attributes,
                    Native.PosixSpawnSetSid | Native.PosixSpawnSetSigDef | Native.PosixSpawnSetSigMask), "posix_spawnattr_setflags");
                Check(Native.sigfillset(signals), "sigfillset");
                Check(Native.posix_spawnattr_setsigdefault(attributes, signals), "posix_spawnattr_setsigdefault");
                Check(Native.sigemptyset(signals), "sigemptyset");
                Check(Native.posix_spawnattr_setsigmask(attributes, signals), "posix_spawnattr_setsigmask");
                rc = Native.posix_spawn(&pid, pathPtr, actions, attributes, argv.Pointer, envp.Pointer);
            }
        }
        finally
        {
            _ = Native.posix_spawn_file_actions_destroy(actions);
            _ = Native.posix_spawnattr_destroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            // The child holds its own copies of the write ends (and of stdin's read end).
            CloseAll(stdoutFds[1], stderrFds[1], stdinFds[0]);
            if (rc != 0)
            {
                CloseAll(stdoutFds[0], stderrFds[0], stdinFds[1]);
            }
        }
        if (rc != 0)
        {
            throw rc switch
            {
                Native.ENoEnt => new ProcessLaunchException(LaunchFailure.NotFound, $"{spec.Path} does not exist (or names a missing interpreter)"),
                Native.EAcces or Native.ENoExec => new ProcessLaunchException(LaunchFailure.NotExecutable, $"{spec.Path}: not executable"),
                _ => Failure($"posix_spawn {spec.Path}", rc),
            };
        }

        if (spec.StandardInput is { } input)
        {
            // Parameters are small (far below the pipe's 64 KiB), so this write does not block on the reader.
            using var stdin = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(stdinFds[1], ownsHandle: true));
            try
            {
                stdin.Write(input.Span);
            }
            catch (IOException)
            {
                // The agent exited without reading its parameters; its exit status tells the rest.
            }
        }
        var stdout = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(stdoutFds[0], ownsHandle: true));
        var stderr = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(stderrFds[0], ownsHandle: true));
        return new PosixProcess(pid, stdout, stderr, spec.Limits, drainTimeout);
    }

    public async Task TerminateGroupAsync(TimeSpan grace)
    {
        Signal(Native.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (IsGroupAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
        if (IsGroupAlive)
        {
            Signal(Native.SigKill);
            // SIGKILL is not deniable; wait briefly for the kernel to tear the group down.
            for (var i = 0; i < 100 && IsGroupAlive; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private void Signal(int signal) => _ = Native.kill(-Id, signal);

    private unsafe void Reap()
    {
        int status;
        int rc;
        do
        {
            rc = Native.waitpid(Id, &status, 0);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == Native.EIntr);
        if (rc < 0)
        {
            _waitStatus.SetException(Failure($"waitpid {Id}", Marshal.GetLastPInvokeError()));
        }
        else
        {
            _waitStatus.SetResult(status);
        }
    }

    private async Task<ProcessExit> CollectAsync()
    {
        using var drain = new CancellationTokenSource();
        var stdoutReader = PumpAsync(_stdout, _stdoutCapture, drain.Token);
        var stderrReader = PumpAsync(_stderr, _stderrCapture, drain.Token);
        var status = await _waitStatus.Task.ConfigureAwait(false);
        drain.CancelAfter(_drainTimeout);
        await Task.WhenAll(stdoutReader, stderrReader).ConfigureAwait(false);
        Dispose();
        var stdout = _stdoutCapture.Complete();
        var stderr = _stderrCapture.Complete();
        // Linux wait status: low 7 bits are the terminating signal, 0 for a normal exit.
        var signal = status & 0x7f;
        return signal == 0
            ? ProcessExit.Exited((status >> 8) & 0xff, stdout, stderr)
            : ProcessExit.Killed(signal, stdout, stderr);
    }

    private static async Task PumpAsync(Stream stream, OutputCapture capture, CancellationToken drain)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, drain).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                capture.Append(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // A process the agent left behind still holds the pipe; what was read is kept.
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void CloseAll(params ReadOnlySpan<int> fds)
    {
        foreach (var fd in fds)
        {
            if (fd >= 0)
            {
                _ = Native.close(fd);
            }
        }
    }

    private static ProcessLaunchException Failure(string call, int errno) =>
        new(LaunchFailure.SystemError, $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
}
