using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Tandem.Bus;
using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>
/// The cluster bus over the local corosync: a CPG group (agreed-order multicast, membership), quorum
/// tracking, and votequorum, cmap and cfg for <see cref="ClusterInfo"/>.
/// <para>
/// One dedicated thread owns the connection: it polls the CPG and quorum file descriptors and an eventfd
/// that wakes it for sends and requests, dispatches with CS_DISPATCH_ALL, and performs every library call,
/// so libcpg is never entered from two threads. Sends are queued in order; CS_ERR_TRY_AGAIN (corosync's
/// flow control) keeps a send at the head of the queue and retries it after a short, growing pause while
/// the thread goes on dispatching. When corosync goes away (CS_ERR_LIBRARY) the bus reports
/// <see cref="BusDisconnected"/>, fails the sends it had not handed over, and reconnects with capped
/// exponential backoff; once back it joins again and reports <see cref="BusConnected"/> and a fresh view.
/// </para>
/// </summary>
public sealed class CorosyncClusterBus : IClusterBus
{
    public const string DefaultGroupName = "tandem";

    private static readonly TimeSpan FlowControlInitial = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan FlowControlMax = TimeSpan.FromMilliseconds(64);

    private readonly string _groupName;
    private readonly TimeProvider _time;
    private readonly long _startStamp;
    private readonly Channel<BusEvent> _events = Channel.CreateUnbounded<BusEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentQueue<SendRequest> _sends = new();
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReconnectBackoff _backoff;
    private readonly Listener _listener;
    private readonly int _wakeFd;
    private readonly Lock _wakeGate = new();
    private bool _wakeClosed;
    private int _wakePending;
    private int _disposed;
    private volatile bool _stopping;
    private long _flowControlRetries;

    // Owned by the dispatch thread.
    private CorosyncConnection? _connection;
    private CorosyncEventAssembler? _assembler;
    private bool _connected;
    private bool _downAnnounced;
    private string _lastProblem = "not connected yet";
    private TimeSpan _reconnectAt;
    private TimeSpan _sendRetryAt;
    private TimeSpan _flowDelay = FlowControlInitial;

    /// <summary>Starts connecting at once; the first event is <see cref="BusConnected"/>, or
    /// <see cref="BusDisconnected"/> when corosync is not there (the bus keeps trying).</summary>
    public CorosyncClusterBus(string groupName = DefaultGroupName, TimeProvider? time = null, ReconnectBackoff? backoff = null)
    {
        CorosyncConnection.GroupName(groupName);
        _groupName = groupName;
        _time = time ?? TimeProvider.System;
        _startStamp = _time.GetTimestamp();
        _backoff = backoff ?? new ReconnectBackoff();
        _listener = new Listener(this);
        _wakeFd = Libc.EventFd(0, Libc.EfdNonblock | Libc.EfdCloexec);
        if (_wakeFd < 0)
        {
            throw new IOException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }
        var thread = new Thread(Run) { IsBackground = true, Name = $"corosync bus {groupName}" };
        thread.Start();
    }

    public string GroupName => _groupName;

    /// <summary>How many times corosync answered a multicast with CS_ERR_TRY_AGAIN (flow control) since the bus started.</summary>
    public long FlowControlRetries => Interlocked.Read(ref _flowControlRetries);

    public ChannelReader<BusEvent> Events => _events.Reader;

    public ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (payload.Length > ClusterBusLimits.MaxMessageBytes)
        {
            throw new ArgumentException(
                $"message of {payload.Length} bytes is larger than the bus carries ({ClusterBusLimits.MaxMessageBytes} bytes)",
                nameof(payload));
        }
        // A copy: the caller may reuse its buffer as soon as it stops waiting.
        var request = new SendRequest(payload.ToArray(), cancellationToken);
        _sends.Enqueue(request);
        if (_stopped.Task.IsCompleted)
        {
            request.Complete(false);
        }
        Wake();
        return new ValueTask<bool>(request.Task);
    }

    public async ValueTask<ClusterInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var result = new TaskCompletionSource<ClusterInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => ReadInfo(result));
        return await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves the group (the others see LEAVE), disconnects and ends the event stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping = true;
            Wake();
        }
        await _stopped.Task.ConfigureAwait(false);
    }

    private TimeSpan Now => _time.GetElapsedTime(_startStamp);

    private void Post(Action work)
    {
        _work.Enqueue(work);
        if (_stopped.Task.IsCompleted)
        {
            RunWork();
        }
        Wake();
    }

    private unsafe void Wake()
    {
        // One write until the dispatch thread has woken: a burst of sends costs one system call, not one each.
        if (Interlocked.Exchange(ref _wakePending, 1) == 1)
        {
            return;
        }
        // Under the gate: a closed descriptor's number may already belong to someone else.
        lock (_wakeGate)
        {
            if (!_wakeClosed)
            {
                ulong one = 1;
                Libc.Write(_wakeFd, &one, sizeof(ulong));
            }
        }
    }

    private void Run()
    {
        Exception? failure = null;
        try
        {
            while (!_stopping)
            {
                if (_connection is null && Now >= _reconnectAt)
                {
                    Connect();
                }
                RunWork();
                PumpSends();
                Poll(TimeoutMs());
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            Stop(failure);
        }
    }

    private void Connect()
    {
        try
        {
            _connection = CorosyncConnection.Open(_groupName, _listener);
            _assembler = new CorosyncEventAssembler(_connection.LocalNodeId, (uint)Environment.ProcessId);
        }
        catch (CorosyncException e)
        {
            _connection = null;
            ScheduleReconnect($"cannot connect to corosync: {e.Message}");
        }
        catch (DllNotFoundException e)
        {
            // Waiting cannot help: end the event stream with the reason.
            throw new InvalidOperationException($"corosync's client libraries are missing (install the corosync package): {e.Message}", e);
        }
    }

    private void ScheduleReconnect(string reason)
    {
        _lastProblem = reason;
        if (!_downAnnounced)
        {
            _downAnnounced = true;
            _events.Writer.TryWrite(new BusDisconnected(reason));
        }
        _reconnectAt = Now + _backoff.Next();
    }

    private void ConnectionLost(string reason)
    {
        _connection?.Dispose();
        _connection = null;
        _assembler = null;
        _connected = false;
        FailQueuedSends();
        ScheduleReconnect(reason);
    }

    private void Publish(IReadOnlyList<BusEvent> events)
    {
        foreach (var busEvent in events)
        {
            if (busEvent is BusConnected)
            {
                _connected = true;
                _downAnnounced = false;
                _backoff.Reset();
                _lastProblem = "";
            }
            _events.Writer.TryWrite(busEvent);
        }
    }

    private void RunWork()
    {
        while (_work.TryDequeue(out var work))
        {
            work();
        }
    }

    private void ReadInfo(TaskCompletionSource<ClusterInfo> result)
    {
        if (_connection is null)
        {
            result.TrySetException(new BusUnavailableException($"not connected to corosync ({_lastProblem})"));
            return;
        }
        try
        {
            result.TrySetResult(_connection.ReadInfo());
        }
        catch (CorosyncException e) when (e.ConnectionLost)
        {
            ConnectionLost($"corosync connection lost: {e.Message}");
            result.TrySetException(new BusUnavailableException($"not connected to corosync ({_lastProblem})"));
        }
        catch (CorosyncException e)
        {
            result.TrySetException(e);
        }
    }

    private void PumpSends()
    {
        while (_sends.TryPeek(out var request))
        {
            if (_connection is null || !_connected)
            {
                _sends.TryDequeue(out _);
                request.Complete(false);
                continue;
            }
            if (Now < _sendRetryAt)
            {
                return;
            }
            if (!request.TryBegin())
            {
                // Cancelled while it waited: never handed to corosync.
                _sends.TryDequeue(out _);
                continue;
            }
            if (request.Payload.Length > _connection.MaxMessageBytes)
            {
                _sends.TryDequeue(out _);
                request.Fail(new ArgumentException($"message of {request.Payload.Length} bytes is larger than this corosync carries ({_connection.MaxMessageBytes} bytes)"));
                continue;
            }
            var error = _connection.Multicast(request.Payload);
            switch (error)
            {
                case CsError.Ok:
                    _sends.TryDequeue(out _);
                    request.Complete(true);
                    _flowDelay = FlowControlInitial;
                    _sendRetryAt = TimeSpan.Zero;
                    break;
                case CsError.TryAgain:
                    // Flow control: corosync's queues are full. Keep the message first in line and keep dispatching.
                    request.Resume();
                    Interlocked.Increment(ref _flowControlRetries);
                    _sendRetryAt = Now + _flowDelay;
                    _flowDelay = TimeSpan.FromTicks(Math.Min(_flowDelay.Ticks * 2, FlowControlMax.Ticks));
                    return;
                case CsError.Library or CsError.BadHandle:
                    request.Resume();
                    ConnectionLost($"corosync connection lost: cpg_mcast_joined failed: {error.Name()}");
                    return;
                default:
                    _sends.TryDequeue(out _);
                    request.Fail(new CorosyncException("cpg_mcast_joined", error));
                    break;
            }
        }
    }

    private void FailQueuedSends()
    {
        while (_sends.TryDequeue(out var request))
        {
            request.Complete(false);
        }
    }

    private int TimeoutMs()
    {
        TimeSpan? due = null;
        if (_connection is null)
        {
            due = _reconnectAt;
        }
        if (!_sends.IsEmpty && _sendRetryAt > TimeSpan.Zero)
        {
            due = due is { } d && d < _sendRetryAt ? d : _sendRetryAt;
        }
        if (due is not { } deadline)
        {
            return -1;
        }
        var remaining = deadline - Now;
        return remaining <= TimeSpan.Zero ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(remaining.TotalMilliseconds));
    }

    private unsafe void Poll(int timeoutMs)
    {
        var fds = stackalloc Libc.PollFd[3];
        var count = 1;
        fds[0] = new Libc.PollFd { Fd = _wakeFd, Events = Libc.PollIn };
        if (_connection is { } connection)
        {
            fds[1] = new Libc.PollFd { Fd = connection.CpgFd, Events = Libc.PollIn };
            fds[2] = new Libc.PollFd { Fd = connection.QuorumFd, Events = Libc.PollIn };
            count = 3;
        }
        if (Libc.Poll(fds, (nuint)count, timeoutMs) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.Eintr)
            {
                return;
            }
            throw new IOException($"poll failed: errno {errno}");
        }
        if (fds[0].Revents != 0)
        {
            ulong value;
            Libc.Read(_wakeFd, &value, sizeof(ulong));
            // Before the queues are looked at again, so a later enqueue either is seen or wakes us anew.
            Volatile.Write(ref _wakePending, 0);
        }
        if (count == 3)
        {
            Dispatch(fds[1].Revents, static c => c.DispatchCpg(), "cpg_dispatch");
            Dispatch(fds[2].Revents, static c => c.DispatchQuorum(), "quorum_dispatch");
        }
    }

    private void Dispatch(short revents, Func<CorosyncConnection, CsError> dispatch, string call)
    {
        if (revents == 0 || _connection is not { } connection)
        {
            return;
        }
        var error = dispatch(connection);
        if (connection.CallbackFault is { } fault)
        {
            throw new InvalidOperationException($"a corosync callback failed: {fault.Message}", fault);
        }
        if (error is CsError.Ok or CsError.TryAgain)
        {
            if ((revents & (Libc.PollHup | Libc.PollErr | Libc.PollNval)) != 0 && error == CsError.Ok)
            {
                ConnectionLost($"corosync closed the connection ({call})");
            }
            return;
        }
        ConnectionLost($"corosync connection lost: {call} failed: {error.Name()}");
    }

    private void Stop(Exception? failure)
    {
        if (_connection is { } connection)
        {
            if (_connected && failure is null)
            {
                connection.Leave();
            }
            connection.Dispose();
            _connection = null;
        }
        _connected = false;
        _lastProblem = "the bus was disposed";
        FailQueuedSends();
        RunWork();
        lock (_wakeGate)
        {
            _wakeClosed = true;
            Libc.Close(_wakeFd);
        }
        if (failure is null)
        {
            _events.Writer.TryComplete();
        }
        else
        {
            _events.Writer.TryComplete(failure);
        }
        _stopped.TrySetResult();
    }

    /// <summary>Receives callbacks (on the dispatch thread) and feeds them through the assembler.</summary>
    private sealed class Listener(CorosyncClusterBus bus) : ICorosyncListener
    {
        public void OnMessage(BusMember sender, byte[] payload) => bus.Publish(bus._assembler!.OnMessage(sender, payload));

        public void OnConfchg(CorosyncEventAssembler.Confchg change) => bus.Publish(bus._assembler!.OnConfchg(change));

        public void OnTotemConfchg(ulong ringSeq) => bus.Publish(bus._assembler!.OnTotemConfchg(ringSeq));

        public void OnQuorum(bool quorate, ulong ringSeq, uint[] nodes) => bus.Publish(bus._assembler!.OnQuorum(quorate, ringSeq, nodes));
    }

    /// <summary>
    /// A queued multicast. Cancellation wins only while the message waits in the queue: once handed to
    /// corosync the send completes with its result, so a caller never sees "cancelled" for a message that went out.
    /// </summary>
    private sealed class SendRequest
    {
        private const int Waiting = 0;
        private const int Sending = 1;
        private const int Done = 2;

        private readonly TaskCompletionSource<bool> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationToken _cancellation;
        private int _state;

        public SendRequest(byte[] payload, CancellationToken cancellation)
        {
            Payload = payload;
            _cancellation = cancellation;
            cancellation.Register(TryCancel);
        }

        public byte[] Payload { get; }

        public Task<bool> Task => _result.Task;

        public bool TryBegin() => Interlocked.CompareExchange(ref _state, Sending, Waiting) == Waiting;

        /// <summary>Back to waiting after CS_ERR_TRY_AGAIN; a cancellation that came meanwhile takes effect now.</summary>
        public void Resume()
        {
            Volatile.Write(ref _state, Waiting);
            if (_cancellation.IsCancellationRequested)
            {
                TryCancel();
            }
        }

        public void Complete(bool sent)
        {
            Volatile.Write(ref _state, Done);
            _result.TrySetResult(sent);
        }

        public void Fail(Exception error)
        {
            Volatile.Write(ref _state, Done);
            _result.TrySetException(error);
        }

        private void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Done, Waiting) == Waiting)
            {
                _result.TrySetCanceled(_cancellation);
            }
        }
    }
}
