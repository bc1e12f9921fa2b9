using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tandem.Agents.Execution;
using Tandem.Bus;
using Tandem.Model.Json;
using Tandem.Node.Api;
using Tandem.Node.Configuration;
using Tandem.Node.Coordination;
using Tandem.Node.Execution;
using Tandem.Node.Volumes;
using Tandem.Node.Fencing;
using Tandem.Scheduler.Output;
using StatusUpdate = Tandem.Node.Status.StatusUpdate;

namespace Tandem.Node;

/// <summary>
/// `tandem daemon`: one per node. Reads the cluster bus and feeds every event, in delivery order, to the
/// <see cref="DaemonCore"/> on one loop, so its components see the same order as on every other node;
/// serves the local API from their published state. API requests that change the cluster go out as bus
/// messages and are answered when their outcome comes back through the loop.
/// </summary>
public sealed class DaemonHost : IDaemonAccess
{
    private readonly IClusterBus _bus;
    private readonly DaemonOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly DaemonCore _core;
    private readonly DateTimeOffset _startedAt;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConfigChangeOutcome>> _pendingChanges = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pendingStatus = new();
    // Everything that touches the core runs on one loop, in arrival order: bus events and API reads alike.
    // Operations asked for before the local API is up, in order (null once it is): agents' helpers call it.
    private List<ExecuteAction>? _heldExecutions = [];
    private readonly Channel<Func<CancellationToken, Task>> _work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new() { SingleReader = true });

    private readonly TimeProvider _time;
    private readonly LocalExecutor _executor;
    private readonly VolumeDefinitionPublisher _volumes;
    private readonly Fencer _fencer;
    private readonly SelfFencing _selfFencing;

    public DaemonHost(IClusterBus bus, Executor executor, DaemonOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _bus = bus;
        _time = time;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("daemon");
        _startedAt = time.GetUtcNow();
        var storage = new FileConfigStorage(options.ConfigPath);
        _core = new DaemonCore(options.NodeName, storage, LoadConfig(storage, time), loggerFactory, time);
        _executor = new LocalExecutor(
            executor,
            (action, result) => _work.Writer.TryWrite(ct => ApplyAsync(_core.OnLocalResult(action, result), ct)),
            loggerFactory.CreateLogger("executor"));
        _volumes = new VolumeDefinitionPublisher(new VolumeDefinitionFiles(options.VolumesDirectory), options.NodeName, loggerFactory.CreateLogger("volumes"));
        _fencer = new Fencer(executor, options.NodeName, time, loggerFactory.CreateLogger("fencer"));
        _selfFencing = new SelfFencing(options.SelfFenceCommand, loggerFactory.CreateLogger("fencer"));
        _core.Config.ChangeCompleted += outcome =>
        {
            if (_pendingChanges.TryRemove(outcome.RequestId, out var waiter))
            {
                waiter.TrySetResult(outcome);
            }
        };
        _core.StatusApplied += requestId =>
        {
            if (_pendingStatus.TryRemove(requestId, out var waiter))
            {
                waiter.TrySetResult();
            }
        };
    }

    private ConfigDocument? LoadConfig(FileConfigStorage storage, TimeProvider time)
    {
        try
        {
            return storage.Load();
        }
        catch (ConfigJsonException e) when (e.IsNewerFormat)
        {
            // Quarantining it and taking the cluster's copy would lose it after a downgrade: refuse to start.
            throw new InvalidOperationException($"configuration {storage.Path}: {e.Message}; the daemon will not start rather than replace it");
        }
        catch (ConfigJsonException e)
        {
            // Never overwrite what cannot be read: keep it aside, start empty, and take the cluster's copy.
            var aside = storage.Quarantine(time.GetUtcNow());
            _logger.LogError("configuration {Path} is unreadable ({Error}); moved to {Aside}; this node will take the cluster's copy", storage.Path, e.Message, aside);
            return null;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The cluster's work does not wait for the local API: starting the web host costs seconds on a busy
        // machine, and joining, announcing and coordinating need none of it. Agent operations do wait for
        // it (their helpers such as crm_attribute call the daemon), see ApplyAsync.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpBusAsync(stop.Token);
        var ticker = TickAsync(stop.Token);
        var loop = LoopAsync(stop.Token);
        WarmUpScheduler();
        LocalApiServer? api = null;
        try
        {
            api = await LocalApiServer.StartAsync(_options.SocketPath, _loggerFactory, MapRoutes, stop.Token).ConfigureAwait(false);
            _logger.LogInformation("daemon {Version} started on {Node}, configuration {Stamp}, local API on {Socket}", Version, _options.NodeName, _core.Config.Stamp, _options.SocketPath);
            await _work.Writer.WriteAsync(_ => ReleaseHeldExecutions(), stop.Token).ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogInformation("daemon stopping");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
            await loop.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (api is not null)
            {
                await api.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await work(cancellationToken).ConfigureAwait(false);
            }
            _logger.LogInformation("the bus closed; daemon stopping");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The first schedule of a process compiles the scheduler's code (hundreds of milliseconds on a busy
    /// machine); a node that becomes coordinator after a failure must not pay for it then. Planned once in
    /// the background from the stored configuration, the result thrown away.
    /// </summary>
    private void WarmUpScheduler() =>
        _work.Writer.TryWrite(cancellationToken =>
        {
            var snapshot = _core.Snapshot();
            _ = Task.Run(() =>
            {
                try
                {
                    Tandem.Scheduler.Scheduler.Schedule(snapshot);
                }
                catch (Exception e)
                {
                    // Only a warm-up: the coordinator's own schedule reports whatever is wrong.
                    _logger.LogDebug("scheduler warm-up: {Error}", e.Message);
                }
            }, cancellationToken);
            return Task.CompletedTask;
        });

    private Task ReleaseHeldExecutions()
    {
        var held = _heldExecutions ?? [];
        _heldExecutions = null;
        foreach (var action in held)
        {
            _executor.Handle(action);
        }
        return Task.CompletedTask;
    }

    /// <summary>Once a second the core looks at the clock: overdue actions, timers of the coordinator.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await _work.Writer.WriteAsync(ct => ApplyAsync(_core.OnTick(), ct), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PumpBusAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var busEvent in _bus.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _work.Writer.WriteAsync(ct => DispatchAsync(busEvent, ct), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        _work.Writer.TryComplete();
    }

    private async Task DispatchAsync(BusEvent busEvent, CancellationToken cancellationToken)
    {
        if (busEvent is ViewChanged)
        {
            await LearnNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        await ApplyAsync(_core.OnBusEvent(busEvent), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>corosync's nodelist names the nodes the group has not seen yet (a node that is down).</summary>
    private async Task LearnNodesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await _bus.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            _core.OnClusterNodes(info.Nodes.Select(n => (n.NodeId, n.Name)));
        }
        catch (BusUnavailableException)
        {
            // Disconnected again already; the next view brings the list.
        }
    }

    private async Task ApplyAsync(CoreOutput output, CancellationToken cancellationToken)
    {
        if (output.SelfFence is { } reason)
        {
            // Before anything else leaves this node: it must not act any more.
            _selfFencing.Fence(reason);
        }
        foreach (var message in output.Messages)
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        foreach (var action in output.Executions)
        {
            if (_heldExecutions is { } held)
            {
                held.Add(action);
            }
            else
            {
                _executor.Handle(action);
            }
        }
        foreach (var message in output.HostMessages)
        {
            if (_volumes.OnDelivered(message) is { } answer)
            {
                await SendAsync(answer, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var request in output.Fencings)
        {
            _ = Task.Run(async () =>
            {
                var result = await _fencer.FenceAsync(request, cancellationToken).ConfigureAwait(false);
                _work.Writer.TryWrite(ct => ApplyAsync(_core.OnFenceDone(result), ct));
            }, cancellationToken);
        }
    }

    private async Task<bool> SendAsync(DaemonMessage message, CancellationToken cancellationToken)
    {
        if (await _bus.TrySendAsync(message.Encode(), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }
        _logger.LogWarning("could not send {Message}: not connected", message.GetType().Name);
        return false;
    }

    public string NodeName => _options.NodeName;

    public TimeSpan ChangeTimeout => _options.ChangeTimeout;

    /// <summary>Runs a read of the core's state on the daemon's loop, where it is consistent.</summary>
    public async Task<T> ReadAsync<T>(Func<DaemonCore, T> read, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _work.Writer.WriteAsync(_ =>
        {
            try
            {
                answer.SetResult(read(_core));
            }
            catch (Exception e)
            {
                answer.SetException(e);
            }
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/status", async (CancellationToken cancellationToken) =>
        {
            try
            {
                return Results.Json(await BuildStatusAsync(cancellationToken).ConfigureAwait(false), LocalApiJson.Options);
            }
            catch (BusUnavailableException e)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, e.Message);
            }
        });
        routes.MapGet("/v1/config", async (CancellationToken cancellationToken) =>
        {
            var (configuration, stamp) = await ReadAsync(core => (core.Config.Configuration, core.Config.Stamp), cancellationToken).ConfigureAwait(false);
            return Results.Text(ConfigJson.Serialize(configuration, stamp.Version), "application/json");
        });
        routes.MapPut("/v1/config", PutConfigAsync);
        routes.MapPut("/v1/volumes/{name}", PutVolumeAsync);
        routes.MapGet("/v1/config/status", async (CancellationToken cancellationToken) =>
            Results.Json(await ReadAsync(core => new ConfigStatusResponse(core.Config.Stamp.Version, core.Config.Stamp.Digest, core.Config.Synchronising, core.Config.LastMerge), cancellationToken).ConfigureAwait(false),
                LocalApiJson.Options));
        NodeEndpoints.Map(routes, this);
        PropertyEndpoints.Map(routes, this);
        ResourceEndpoints.Map(routes, this);
        CleanupEndpoints.Map(routes, this);
    }

    public async Task UpdateStatusAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken)
    {
        var sent = updates.Select(u => u with { RequestId = Guid.NewGuid().ToString("N") }).ToList();
        var waiters = sent.Select(u => _pendingStatus[u.RequestId!] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        try
        {
            foreach (var update in sent)
            {
                if (!await SendAsync(update, cancellationToken).ConfigureAwait(false))
                {
                    throw new ApiFailureException(StatusCodes.Status503ServiceUnavailable, "this node is not connected to the cluster (is corosync running?)");
                }
            }
            await Task.WhenAll(waiters.Select(w => w.Task)).WaitAsync(_options.ChangeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ApiFailureException(StatusCodes.Status504GatewayTimeout, $"the status change did not come back through the cluster within {_options.ChangeTimeout.TotalSeconds:0} s");
        }
        finally
        {
            foreach (var update in sent)
            {
                _pendingStatus.TryRemove(update.RequestId!, out _);
            }
        }
    }

    public async Task<ConfigChangeOutcome> ProposeAsync(ConfigChange change, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<ConfigChangeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingChanges[change.RequestId] = waiter;
        try
        {
            if (!await SendAsync(change, cancellationToken).ConfigureAwait(false))
            {
                throw new ApiFailureException(StatusCodes.Status503ServiceUnavailable, "this node is not connected to the cluster (is corosync running?)");
            }
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pendingChanges.TryRemove(change.RequestId, out _);
        }
    }

    private async Task<IResult> PutConfigAsync(ConfigPutRequest request, CancellationToken cancellationToken)
    {
        try
        {
            ConfigJson.Deserialize(request.Document);
        }
        catch (ConfigJsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"invalid configuration: {e.Message}");
        }
        var (quorate, synchronising) = await ReadAsync(core => (core.Membership.Current.Quorate, core.Config.Synchronising), cancellationToken).ConfigureAwait(false);
        if (!quorate)
        {
            return Error(StatusCodes.Status409Conflict, "this node's partition has no quorum: a change made here would be lost when the cluster merges");
        }
        if (synchronising)
        {
            return Error(StatusCodes.Status409Conflict, "the cluster is synchronising its configuration after a membership change; try again");
        }
        var change = new ConfigChange(Guid.NewGuid().ToString("N"), request.BaseVersion, request.Document, request.Description);
        var waiter = new TaskCompletionSource<ConfigChangeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingChanges[change.RequestId] = waiter;
        try
        {
            if (!await SendAsync(change, cancellationToken).ConfigureAwait(false))
            {
                return Error(StatusCodes.Status503ServiceUnavailable, "this node is not connected to the cluster (is corosync running?)");
            }
            var outcome = await waiter.Task.WaitAsync(_options.ChangeTimeout, cancellationToken).ConfigureAwait(false);
            if (outcome.Applied)
            {
                return Results.Json(new ConfigPutResponse(outcome.Version), LocalApiJson.Options);
            }
            // 412 tells a client that another change came first: it may re-read and redo its edit.
            return Error(outcome.Version != request.BaseVersion ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status409Conflict, outcome.Error ?? "refused");
        }
        catch (TimeoutException)
        {
            return Error(StatusCodes.Status504GatewayTimeout, $"the change did not come back through the cluster within {_options.ChangeTimeout.TotalSeconds:0} s; check 'tandem config show' before retrying");
        }
        finally
        {
            _pendingChanges.TryRemove(change.RequestId, out _);
        }
    }

    /// <summary>Publishes a volume definition to its replica nodes; answers once every one of them has written it.</summary>
    private async Task<IResult> PutVolumeAsync(string name, VolumePutRequest request, CancellationToken cancellationToken)
    {
        if (!VolumeDefinitionFiles.IsValidName(name) || request.Nodes.Count == 0)
        {
            return Error(StatusCodes.Status400BadRequest, $"volume '{name}': a valid name and the replica nodes are required");
        }
        var members = await ReadAsync(core => core.Membership.Current.Names.Values.ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        var absent = request.Nodes.Where(n => !members.Contains(n)).ToList();
        if (absent.Count > 0)
        {
            return Error(StatusCodes.Status409Conflict, $"{string.Join(", ", absent)} {(absent.Count == 1 ? "is" : "are")} not in the cluster now (no daemon in the group); the definition must reach every replica: start {(absent.Count == 1 ? "it" : "them")} and retry");
        }
        IReadOnlyDictionary<string, string?> answers;
        try
        {
            answers = await _volumes.PublishAsync(name, request.Document, request.Nodes, request.Replace, SendAsync, _options.ChangeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        var problems = request.Nodes
            .Select(n => answers.TryGetValue(n, out var error) ? (error is null ? null : $"{n}: {error}") : $"{n}: no answer within {_options.ChangeTimeout.TotalSeconds:0} s")
            .OfType<string>()
            .ToList();
        return problems.Count == 0
            ? Results.Json(new VolumePutResponse([.. request.Nodes]), LocalApiJson.Options)
            : Error(StatusCodes.Status409Conflict, string.Join("; ", problems));
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new ApiError(message), LocalApiJson.Options, statusCode: status);

    private async Task<StatusResponse> BuildStatusAsync(CancellationToken cancellationToken)
    {
        var info = await _bus.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        var (membership, snapshot, fencings) = await ReadAsync(core => (core.Membership.Current, core.Snapshot(), core.FencingHistory.Entries), cancellationToken).ConfigureAwait(false);
        string NameOf(uint id) => info.Nodes.FirstOrDefault(n => n.NodeId == id)?.Name ?? $"node{id}";
        return new StatusResponse(
            info.ClusterName,
            new NodeRef(info.LocalNodeId, NameOf(info.LocalNodeId)),
            [.. info.Nodes.OrderBy(n => n.NodeId).Select(n => new NodeStatus(
                n.NodeId,
                n.Name,
                membership.QuorumNodes.Contains(n.NodeId),
                membership.Members.Any(m => m.NodeId == n.NodeId)))],
            new QuorumStatus(membership.Quorate, info.Quorum.ExpectedVotes, info.Quorum.TotalVotes, info.Quorum.Quorum, info.Quorum.Flags, membership.RingSeq, membership.ChangedAt),
            membership.Coordinator is { } c ? new NodeRef(c.NodeId, NameOf(c.NodeId)) : null,
            membership.ElectionPending,
            [.. info.Links.Select(l => new LinkStatus(NameOf(l.PeerNodeId), l.LinkNumber, l.Connected))],
            new DaemonInfo(Environment.ProcessId, Version, _startedAt),
            info.Totem)
        {
            Runtime = RuntimeView.Build(snapshot),
            FencingHistory = fencings,
        };
    }

    public static string Version =>
        typeof(DaemonHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? FileVersionInfo.GetVersionInfo(typeof(DaemonHost).Assembly.Location).ProductVersion
        ?? "0";
}
