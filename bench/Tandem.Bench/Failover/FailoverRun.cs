namespace Tandem.Bench.Failover;

/// <summary>One measured run of a scenario: the figure, the stack's own share when known, the load at the time.</summary>
public sealed record FailoverSample(double Ms, double? StackWorkMs, string LoadAverage)
{
    /// <summary>Of the stack's own work: until the VIP's start was handed to its agent (the rest is the agent's run).</summary>
    public double? DecisionMs { get; init; }
}

/// <summary>
/// The scenarios for one stack in one lab: cold start, hard kill, standby, monitor failure, each repeated.
/// Every figure is taken from outside (the client's probe of the VIP, the service's state file seen from
/// the host) except the stack's own share, which is read from the stack's log.
/// </summary>
public sealed class FailoverRun(FailoverLab lab, IClusterStack stack, VipProbe probe)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    public Dictionary<string, List<FailoverSample>> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>Boots the stack on both nodes for the first time and loads the seed configuration.</summary>
    public async Task SetUpAsync()
    {
        await Task.WhenAll(FailoverLab.NodeNames.Select(StartNodeAsync)).ConfigureAwait(false);
        await stack.ConfigureAsync(FailoverLab.NodeNames[0]).ConfigureAwait(false);
        await SettledAsync().ConfigureAwait(false);
    }

    private async Task StartNodeAsync(string node)
    {
        await stack.PrepareAsync(node).ConfigureAwait(false);
        await lab.StartCorosyncAsync(node).ConfigureAwait(false);
        await stack.StartAsync(node).ConfigureAwait(false);
    }

    /// <summary>Waits until every node agrees the cluster is at rest; returns the group's node.</summary>
    private async Task<string> SettledAsync()
    {
        var online = FailoverLab.NodeNames.Where(lab.Powered).ToList();
        string? owner = null;
        await FailoverLab.WaitAsync(async () =>
        {
            var seen = new List<string?>();
            foreach (var node in online)
            {
                seen.Add(await stack.SettledAsync(node, online).ConfigureAwait(false));
            }
            owner = seen.Distinct().Count() == 1 ? seen[0] : null;
            return owner is not null;
        }, Liveness, $"{stack.Name}: the cluster at rest").ConfigureAwait(false);
        // A quiet moment between runs, outside every measurement: the recurring monitors start.
        await Task.Delay(1000).ConfigureAwait(false);
        return owner!;
    }

    private void Add(string scenario, double ms, double? workMs, string load, double? decisionMs = null)
    {
        if (!Samples.TryGetValue(scenario, out var list))
        {
            Samples[scenario] = list = [];
        }
        list.Add(new FailoverSample(ms, workMs, load) { DecisionMs = decisionMs });
        Console.Error.WriteLine($"{stack.Name} {scenario}: {ms:0} ms{(workMs is { } w ? $" (stack's own work {w:0} ms, start handed to the agent after {decisionMs:0} ms)" : "")}, load {load}");
    }

    /// <summary>Both nodes off, booted, then corosync and the stack started on both at once → the VIP answers.</summary>
    public async Task ColdStartAsync()
    {
        foreach (var node in FailoverLab.NodeNames.Where(lab.Powered))
        {
            await lab.PowerOffAsync(node).ConfigureAwait(false);
        }
        foreach (var node in FailoverLab.NodeNames)
        {
            await lab.BootAsync(node).ConfigureAwait(false);
            await stack.PrepareAsync(node).ConfigureAwait(false);
        }
        var load = Load();
        var start = DateTimeOffset.UtcNow;
        await Task.WhenAll(FailoverLab.NodeNames.Select(async node =>
        {
            await lab.StartCorosyncAsync(node).ConfigureAwait(false);
            await stack.StartAsync(node).ConfigureAwait(false);
        })).ConfigureAwait(false);
        DateTimeOffset? up = null;
        await FailoverLab.WaitAsync(() =>
        {
            up = FailoverLab.NodeNames.Select(n => probe.AnsweredFrom(lab.Mac(n), start)).Where(t => t is not null).Min();
            return Task.FromResult(up is not null);
        }, Liveness, $"{stack.Name} cold start: the VIP answering").ConfigureAwait(false);
        Add("cold start", (up!.Value - start).TotalMilliseconds, null, load);
        await SettledAsync().ConfigureAwait(false);
    }

    /// <summary>Power off the group's node → the VIP answers from the survivor; then the node comes back.</summary>
    public async Task HardKillAsync()
    {
        var owner = await SettledAsync().ConfigureAwait(false);
        var survivor = lab.Other(owner);
        var load = Load();
        var killedAt = DateTimeOffset.UtcNow;
        await lab.PowerOffAsync(owner).ConfigureAwait(false);
        var up = await probe.WaitAnsweredFromAsync(lab.Mac(survivor), killedAt, Liveness, $"{stack.Name} hard kill of {owner}").ConfigureAwait(false);
        // The VIP answers before its agent returns: the start's log line comes a little later.
        (double Work, double Decision)? work = null;
        await FailoverLab.WaitAsync(() => Task.FromResult((work = WorkAfterMembership(survivor, owner, killedAt)) is not null),
            TimeSpan.FromSeconds(30), $"{stack.Name}: VIP1's start in {survivor}'s log").ConfigureAwait(false);
        Add("hard kill", (up - killedAt).TotalMilliseconds, work!.Value.Work, load, work.Value.Decision);
        await lab.BootAsync(owner).ConfigureAwait(false);
        await StartNodeAsync(owner).ConfigureAwait(false);
        await SettledAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// From the survivor's first log line of the membership change to its log line of VIP1's start
    /// completed, and to the start handed to the agent (the decision: planning and dispatch).
    /// </summary>
    private (double Work, double Decision)? WorkAfterMembership(string survivor, string lost, DateTimeOffset since)
    {
        var log = stack.Log(survivor);
        DateTimeOffset? membership;
        DateTimeOffset? dispatched;
        DateTimeOffset? started;
        if (stack is TandemStack)
        {
            membership = new[] { log.First(since, "membership[", "view: "), log.First(since, "membership[", "quorum: ") }.Min();
            dispatched = log.First(since, "coordinator[", $": VIP1_start_0 on {survivor}");
            started = log.First(since, "result: VIP1 start: Success");
        }
        else
        {
            membership = log.First(since, $"Node {lost} state is now lost");
            dispatched = log.First(since, "Initiating start operation VIP1_start_0");
            started = log.First(since, $"Result of start operation for VIP1 on {survivor}: ok");
        }
        return membership is { } m && started is { } s && dispatched is { } d ? ((s - m).TotalMilliseconds, (d - m).TotalMilliseconds) : null;
    }

    /// <summary>The administrator's standby command for the group's node (run inside it) → the VIP answers from the other.</summary>
    public async Task StandbyAsync()
    {
        var owner = await SettledAsync().ConfigureAwait(false);
        var other = lab.Other(owner);
        var load = Load();
        var start = DateTimeOffset.UtcNow;
        await stack.StandbyAsync(owner, true).ConfigureAwait(false);
        var up = await probe.WaitAnsweredFromAsync(lab.Mac(other), start, Liveness, $"{stack.Name} standby of {owner}").ConfigureAwait(false);
        Add("standby", (up - start).TotalMilliseconds, null, load);
        await stack.StandbyAsync(owner, false).ConfigureAwait(false);
        await SettledAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The service's state file vanishes on the group's node; its next monitor fails (threshold 1), the group
    /// moves. The figure runs from the failed monitor's result in the node's log to the group recovered on
    /// the other node (the VIP answers from it and the service's state file exists there).
    /// </summary>
    public async Task MonitorFailureAsync()
    {
        var owner = await SettledAsync().ConfigureAwait(false);
        var other = lab.Other(owner);
        var load = Load();
        var removedAt = DateTimeOffset.UtcNow;
        File.Delete(lab.HostPath(owner, ServiceStateFile));
        DateTimeOffset? serviceAt = null;
        DateTimeOffset? vipAt = null;
        await FailoverLab.WaitAsync(() =>
        {
            vipAt ??= probe.AnsweredFrom(lab.Mac(other), removedAt);
            if (serviceAt is null && File.Exists(lab.HostPath(other, ServiceStateFile)))
            {
                serviceAt = DateTimeOffset.UtcNow;
            }
            return Task.FromResult(vipAt is not null && serviceAt is not null);
        }, Liveness, $"{stack.Name} monitor failure on {owner}: recovered on {other}").ConfigureAwait(false);
        var recovered = new[] { vipAt!.Value, serviceAt!.Value }.Max();
        var log = stack.Log(owner);
        var failed = stack is TandemStack
            ? log.First(removedAt, "result: zcs_service monitor every 10000 ms: NotRunning")
            : log.First(removedAt, $"Result of monitor operation for zcs_service on {owner}: not running");
        if (failed is null)
        {
            throw new InvalidOperationException($"{stack.Name}: no failed monitor of zcs_service in {owner}'s log");
        }
        Add("monitor failure", (recovered - failed.Value).TotalMilliseconds, null, load);
        await stack.CleanupAsync(other).ConfigureAwait(false);
        await SettledAsync().ConfigureAwait(false);
    }

    public const string ServiceStateFile = "/run/resource-agents/Dummy-zcs_service.state";

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
