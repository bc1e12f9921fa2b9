using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tandem.Mail;

namespace Tandem.Lab.Chaos;

/// <summary>
/// A chaos run of the mail scenario in a running lab (built with <c>--scenario mail --quorum qdevice</c>):
/// the mail load client sends from the client namespace for the whole run while a seeded sequence of
/// faults hits the node that runs the mail service; after each fault the run waits until the service
/// answers on VIP1 again, undoes the fault (node online, booted, cable or link healed, failure cleaned
/// up) and waits until the cluster is whole (both nodes online, replicas connected and UpToDate). At the
/// end: the load's mail check, and the two replicas' checksums compared with the file system frozen.
/// </summary>
public sealed class MailChaos(LabController controller, MailChaosOptions options, Action<string> progress)
{
    private const string ActiveResource = "mail_imap";
    private const int ReplicationPort = 7789;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleCheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // nftables table a ReplicationCut adds in the active node: the volume's peer traffic only, both ways.
    private static readonly string CutLinkScript = $$"""
        nft add table inet tandem_chaos
        nft add chain inet tandem_chaos in '{ type filter hook input priority 0; }'
        nft add chain inet tandem_chaos out '{ type filter hook output priority 0; }'
        nft add rule inet tandem_chaos in tcp dport {{ReplicationPort}} drop
        nft add rule inet tandem_chaos in tcp sport {{ReplicationPort}} drop
        nft add rule inet tandem_chaos out tcp dport {{ReplicationPort}} drop
        nft add rule inet tandem_chaos out tcp sport {{ReplicationPort}} drop
        """;

    private readonly Stopwatch _clock = new();
    private DateTimeOffset _startedAt;
    private string _tandem = "tandem";
    private string[] _nodes = [];

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var state = controller.Load();
        if (state.Scenario != MailScenario.Name)
        {
            throw new LabException($"lab '{state.Name}' does not run the mail scenario (build it with 'tandem lab up --scenario mail --quorum qdevice')");
        }
        if (options.Kinds.Contains(ChaosFaultKind.Split) && state.Quorum != Tandem.Corosync.QuorumMode.QDevice)
        {
            throw new LabException($"a split needs the quorum device to decide (build the lab with --quorum qdevice, or leave out the split)");
        }
        _tandem = state.TandemPath;
        _nodes = [state.Nodes[0].Name, state.Nodes[1].Name];
        _clock.Start();
        _startedAt = DateTimeOffset.UtcNow;

        var stopFile = Path.Combine(controller.Layout.Root, "chaos-stop");
        File.Delete(stopFile);
        await WaitHealthyAsync(cancellationToken).ConfigureAwait(false);
        progress($"mail load at {options.RatePerSecond.ToString(CultureInfo.InvariantCulture)}/s from the client namespace");
        var loadStartedAt = Seconds;
        var load = controller.RunClientAsync(
        [
            _tandem, "mail-load", "--smtp", MailScenario.VipAddress, "--domain", MailScenario.Domain,
            "--users", string.Join(',', MailScenario.Users.Select(u => $"{u.User}:{u.Password}")),
            "--rate", options.RatePerSecond.ToString(CultureInfo.InvariantCulture), "--stop-file", stopFile,
            "--settle", "300s", "--run-id", $"chaos{options.Seed.ToString(CultureInfo.InvariantCulture)}", "--json",
        ], TimeSpan.FromDays(1), cancellationToken);

        var faults = new List<ChaosFaultResult>();
        string? problem = null;
        try
        {
            foreach (var step in ChaosSchedule.Steps(options.Seed, options.Kinds))
            {
                if (options.FaultCount is { } count ? step.Number > count : _clock.Elapsed >= options.Duration)
                {
                    break;
                }
                await Task.Delay(step.PauseBefore, cancellationToken).ConfigureAwait(false);
                if (load.IsCompleted)
                {
                    problem = $"the mail load ended early: {(await load.ConfigureAwait(false)).FirstErrorLine}";
                    break;
                }
                ChaosFaultResult result;
                try
                {
                    result = await FaultAsync(step, cancellationToken).ConfigureAwait(false);
                }
                catch (LabException e)
                {
                    problem = $"fault {step.Number} ({step.Kind}): {e.Message}";
                    break;
                }
                faults.Add(result);
                progress($"fault {result.Number} {result.Kind} on {result.Node}: service back after {Show(result.RecoveredSeconds)} s, whole after {Show(result.HealthySeconds)} s{(result.Problem is null ? "" : " — " + result.Problem)}");
                if (!result.Recovered)
                {
                    problem = $"fault {result.Number} ({result.Kind}) was not recovered: {result.Problem}";
                    break;
                }
            }
        }
        finally
        {
            await File.WriteAllTextAsync(stopFile, "", CancellationToken.None).ConfigureAwait(false);
        }

        progress("load stopped; reading every mailbox back");
        var loadResult = await load.ConfigureAwait(false);
        MailReport? mail = null;
        try
        {
            mail = MailReport.FromJson(loadResult.StandardOutput);
        }
        catch (JsonException)
        {
            problem ??= $"the mail load printed no report: {loadResult.FirstErrorLine}";
        }
        if (mail is not null)
        {
            // The load's clock started when its process did, a moment after it was launched.
            faults = AttributeOutages(faults, mail, mail.StartedAt == default ? loadStartedAt : (mail.StartedAt - _startedAt).TotalSeconds);
        }

        IReadOnlyDictionary<string, string>? checksums = null;
        if (problem is null)
        {
            try
            {
                checksums = await ReplicaChecksumsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                problem = $"replicas not compared: {e.Message}";
            }
        }
        File.Delete(stopFile);
        return new ChaosReport
        {
            Seed = options.Seed,
            Weakened = options.Weakened,
            Command = options.Command,
            Faults = faults,
            Mail = mail,
            ReplicaChecksums = checksums,
            Problem = problem,
            DurationSeconds = Seconds,
        };
    }

    private double Seconds => _clock.Elapsed.TotalSeconds;

    private static string Show(double? seconds) => seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    /// <summary>Injects one fault, waits for the service, undoes the fault, waits for the cluster to be whole.</summary>
    private async Task<ChaosFaultResult> FaultAsync(ChaosStep step, CancellationToken cancellationToken)
    {
        string? active = null;
        await WaitUntilAsync(async ct => (active = await ActiveNodeAsync(ct).ConfigureAwait(false)) is not null, options.RecoveryTimeout, cancellationToken).ConfigureAwait(false);
        if (active is null)
        {
            throw new LabException($"no node ran the mail service within {options.RecoveryTimeout.TotalSeconds:0} s before the fault");
        }
        var injectedAt = Seconds;
        progress($"fault {step.Number}: {step.Kind} on {active}");
        try
        {
            switch (step.Kind)
            {
                case ChaosFaultKind.Switchover:
                    await TandemAsync(active, ["node", "standby", active], cancellationToken).ConfigureAwait(false);
                    break;
                case ChaosFaultKind.NodeKill:
                    await controller.KillAsync(active, cancellationToken).ConfigureAwait(false);
                    break;
                case ChaosFaultKind.ServiceKill:
                    await ShAsync(active, $"kill -KILL \"$(head -n 1 {MailScenario.QueueDir}/pid/master.pid | tr -d ' ')\"", cancellationToken).ConfigureAwait(false);
                    break;
                case ChaosFaultKind.ReplicationCut:
                    await ShAsync(active, CutLinkScript, cancellationToken).ConfigureAwait(false);
                    break;
                case ChaosFaultKind.Split:
                    await controller.SetCableAsync(active, connected: false, wait: false, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (LabException e)
        {
            return new ChaosFaultResult(step.Number, step.Kind, active, injectedAt, null, null, $"injecting: {e.Message}");
        }

        // The service has recovered when it answers on VIP1 from the other node (the cluster moved it),
        // except for a replication cut, which must not move it at all: then the link must be seen down.
        var other = _nodes.Single(n => n != active);
        var recovered = step.Kind == ChaosFaultKind.ReplicationCut
            ? await WaitUntilAsync(async ct => await VolumeAsync(active, ct).ConfigureAwait(false) is { Connection: not "connected" } && await MailScenario.ServiceAnswersAsync(controller, ct).ConfigureAwait(false), options.RecoveryTimeout, cancellationToken).ConfigureAwait(false)
            : await WaitUntilAsync(async ct => await ActiveNodeAsync(ct).ConfigureAwait(false) == other && await MailScenario.ServiceAnswersAsync(controller, ct).ConfigureAwait(false), options.RecoveryTimeout, cancellationToken).ConfigureAwait(false);
        var recoveredSeconds = recovered ? Seconds - injectedAt : (double?)null;
        if (step.Kind == ChaosFaultKind.ReplicationCut)
        {
            await Task.Delay(options.ReplicationCutHold, cancellationToken).ConfigureAwait(false);
        }

        string? note;
        try
        {
            note = await UndoAsync(step.Kind, active, other, cancellationToken).ConfigureAwait(false);
        }
        catch (LabException e)
        {
            return new ChaosFaultResult(step.Number, step.Kind, active, injectedAt, recoveredSeconds, null, $"undoing: {e.Message}");
        }
        var healthy = await WaitUntilAsync(IsHealthyAsync, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
        // Whole since its first look of the two (IsHealthyAsync looks again after SettleCheck).
        var healthySeconds = healthy ? Seconds - injectedAt - SettleCheck.TotalSeconds : (double?)null;
        var problem = !recovered ? $"the service did not answer on {MailScenario.VipAddress} from {other} within {options.RecoveryTimeout.TotalSeconds:0} s"
            : !healthy ? $"the cluster was not whole again within {options.HealthTimeout.TotalSeconds:0} s: {await HealthProblemAsync(cancellationToken).ConfigureAwait(false)}"
            : null;
        return new ChaosFaultResult(step.Number, step.Kind, active, injectedAt, recoveredSeconds, healthySeconds, problem) { Note = note };
    }

    /// <summary>Undoes a fault; returns a note when undoing it took an operator's decision.</summary>
    private async Task<string?> UndoAsync(ChaosFaultKind kind, string active, string other, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ChaosFaultKind.Switchover:
                await TandemAsync(other, ["node", "online", active], cancellationToken).ConfigureAwait(false);
                break;
            case ChaosFaultKind.NodeKill:
                await controller.StartAsync(active, cancellationToken).ConfigureAwait(false);
                break;
            case ChaosFaultKind.ServiceKill:
                // The failure stays on record (migration-threshold 1 keeps the group away) until cleaned up, as an operator would.
                await TandemAsync(other, ["resource", "cleanup", "mail_smtp"], cancellationToken).ConfigureAwait(false);
                break;
            case ChaosFaultKind.ReplicationCut:
                await ShAsync(active, "nft delete table inet tandem_chaos", cancellationToken).ConfigureAwait(false);
                break;
            case ChaosFaultKind.Split:
                // The survivor fenced the cut node (powered it off) or, unfenced, it stopped its resources for want of quorum.
                if (controller.Load().Node(active).Powered)
                {
                    await controller.SetCableAsync(active, connected: true, wait: true, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await controller.StartAsync(active, cancellationToken).ConfigureAwait(false);
                }
                return await ResolveSplitBrainAsync(active, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>
    /// The cut node kept its replica Primary until it was fenced or stopped, and its file system may have
    /// written in that time (a journal commit) while the other side took over: the replicas then meet in
    /// split brain. No client could reach the cut node, so nothing it wrote was acknowledged to anyone:
    /// its changes are discarded, as the operator would (`tandem volume connect --discard-my-data`).
    /// </summary>
    private async Task<string?> ResolveSplitBrainAsync(string victim, CancellationToken cancellationToken)
    {
        VolumeView? view = null;
        await WaitUntilAsync(async ct => (view = await VolumeAsync(victim, ct).ConfigureAwait(false)) is not null && (view.Connection == "connected" || view.Problem is not null), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (view?.Problem is not { } problem || !problem.Contains("split brain", StringComparison.Ordinal))
        {
            return null;
        }
        await TandemAsync(victim, ["volume", "connect", "--discard-my-data", MailScenario.VolumeName], cancellationToken).ConfigureAwait(false);
        return $"split brain after the split; {victim}'s unacknowledged changes discarded";
    }

    /// <summary>Whole on two looks a few seconds apart: a cluster still settling (a returning node, a resync starting) is not whole yet.</summary>
    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (await HealthProblemAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }
        await Task.Delay(SettleCheck, cancellationToken).ConfigureAwait(false);
        return await HealthProblemAsync(cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>What keeps the cluster from being whole, or null: service answering, both nodes online, replicas connected and UpToDate.</summary>
    private async Task<string?> HealthProblemAsync(CancellationToken cancellationToken)
    {
        var state = controller.Load();
        if (state.Nodes.FirstOrDefault(n => !n.Powered || n.Cut) is { } down)
        {
            return $"{down.Name} is {(down.Powered ? "cut off" : "powered off")}";
        }
        var status = await StatusAsync(_nodes[0], cancellationToken).ConfigureAwait(false);
        if (status is null)
        {
            return $"{_nodes[0]} gives no status";
        }
        var offline = _nodes.Where(n => !NodeOnline(status.Value, n)).ToList();
        if (offline.Count > 0)
        {
            return $"not online: {string.Join(", ", offline)}";
        }
        var active = Placement(status.Value, ActiveResource);
        if (active is null)
        {
            return "the mail service runs nowhere";
        }
        var volume = await VolumeAsync(active, cancellationToken).ConfigureAwait(false);
        if (volume is not { Role: "primary", Connection: "connected", Disk: "upToDate", PeerDisk: "upToDate" })
        {
            return $"volume on {active}: {volume?.Line ?? "not up"}";
        }
        return await MailScenario.ServiceAnswersAsync(controller, cancellationToken).ConfigureAwait(false) ? null : "the mail service does not answer on VIP1";
    }

    /// <summary>The node the cluster runs the mail service on, as the first reachable node reports it.</summary>
    private async Task<string?> ActiveNodeAsync(CancellationToken cancellationToken)
    {
        foreach (var node in controller.Load().Nodes.Where(n => n.Powered && !n.Cut))
        {
            if (await StatusAsync(node.Name, cancellationToken).ConfigureAwait(false) is { } status)
            {
                return Placement(status, ActiveResource);
            }
        }
        return null;
    }

    private async Task<JsonElement?> StatusAsync(string node, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, [_tandem, "status", "--json"], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(result.StandardOutput);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool NodeOnline(JsonElement status, string node) =>
        status.TryGetProperty("nodes", out var nodes)
        && nodes.EnumerateArray().Any(n => n.GetProperty("name").GetString() == node && n.GetProperty("online").GetBoolean());

    /// <summary>The one node a resource runs on in a status, or null.</summary>
    private static string? Placement(JsonElement status, string resource)
    {
        if (!status.TryGetProperty("runtime", out var runtime) || runtime.ValueKind != JsonValueKind.Object || !runtime.TryGetProperty("placements", out var placements))
        {
            return null;
        }
        foreach (var placement in placements.EnumerateArray())
        {
            if (placement.GetProperty("id").GetString() == resource && placement.GetProperty("nodes") is { ValueKind: JsonValueKind.Array } nodes && nodes.GetArrayLength() == 1)
            {
                return nodes[0].GetString();
            }
        }
        return null;
    }

    private sealed record VolumeView(string Role, string Connection, string Disk, string PeerDisk, long SizeBytes, string Line, string? Problem);

    private async Task<VolumeView?> VolumeAsync(string node, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, [_tandem, "volume", "status", MailScenario.VolumeName, "--json"], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(result.StandardOutput);
            var v = document.RootElement[0];
            return new VolumeView(
                v.GetProperty("role").GetString() ?? "", v.GetProperty("connection").GetString() ?? "",
                v.GetProperty("disk").GetString() ?? "", v.GetProperty("peerDisk").GetString() ?? "",
                v.GetProperty("sizeBytes").GetInt64(), v.GetProperty("line").GetString() ?? "",
                v.TryGetProperty("problem", out var problem) ? problem.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// SHA-256 of both replicas' data with the file system frozen on the Primary (no write in flight, its
    /// journal flushed through the volume): the Primary's device and the Secondary's backing file. Under
    /// protocol A the Secondary may lag a moment, so a difference is looked at again a few times.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> ReplicaChecksumsAsync(CancellationToken cancellationToken)
    {
        var primary = await ActiveNodeAsync(cancellationToken).ConfigureAwait(false) ?? throw new LabException("the mail service runs nowhere");
        var secondary = _nodes.Single(n => n != primary);
        var volume = await VolumeAsync(primary, cancellationToken).ConfigureAwait(false) ?? throw new LabException($"no volume status on {primary}");
        await ShAsync(primary, $"fsfreeze -f {MailScenario.StoreDir}", cancellationToken).ConfigureAwait(false);
        try
        {
            Dictionary<string, string> sums = [];
            for (var attempt = 0; attempt < 5; attempt++)
            {
                sums[primary] = await Sha256Async(primary, MailScenario.VolumeDevice, volume.SizeBytes, cancellationToken).ConfigureAwait(false);
                sums[secondary] = await Sha256Async(secondary, $"/var/lib/tandem/volumes/{MailScenario.VolumeName}.img", volume.SizeBytes, cancellationToken).ConfigureAwait(false);
                if (sums[primary] == sums[secondary])
                {
                    break;
                }
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            return sums;
        }
        finally
        {
            await ShAsync(primary, $"fsfreeze -u {MailScenario.StoreDir}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string> Sha256Async(string node, string path, long sizeBytes, CancellationToken cancellationToken)
    {
        // O_DIRECT: what is on the replica, not the page cache (a block device's cache is not kept coherent
        // with a mounted file system's data writes, and mkfs left it full of the volume's first contents).
        var mib = (sizeBytes + (1 << 20) - 1) >> 20;
        var output = await ShAsync(node, $"dd if={path} iflag=direct bs=1M count={mib.ToString(CultureInfo.InvariantCulture)} status=none | head -c {sizeBytes.ToString(CultureInfo.InvariantCulture)} | sha256sum", cancellationToken).ConfigureAwait(false);
        return output.Split(' ')[0];
    }

    /// <summary>
    /// Gives each fault the outages the client saw that began after it was injected and before the next
    /// one (the load's clock starts when it was launched; a second of slack covers its start-up).
    /// </summary>
    public static List<ChaosFaultResult> AttributeOutages(IReadOnlyList<ChaosFaultResult> faults, MailReport mail, double loadStartedAtSeconds)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(mail);
        var result = new List<ChaosFaultResult>();
        for (var i = 0; i < faults.Count; i++)
        {
            var from = faults[i].InjectedAtSeconds - 1;
            var to = i + 1 < faults.Count ? faults[i + 1].InjectedAtSeconds - 1 : double.MaxValue;
            var outage = mail.Outages
                .Where(o => o.StartSeconds + loadStartedAtSeconds >= from && o.StartSeconds + loadStartedAtSeconds < to)
                .Sum(o => (o.EndSeconds ?? mail.DurationSeconds) - o.StartSeconds);
            result.Add(faults[i] with { OutageSeconds = outage });
        }
        return result;
    }

    private async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (await condition(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        if (!await WaitUntilAsync(IsHealthyAsync, options.HealthTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new LabException($"the mail scenario is not healthy: {await HealthProblemAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    private async Task TandemAsync(string node, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, [_tandem, .. arguments], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"tandem {string.Join(' ', arguments)} on {node}: {result.FirstErrorLine}");
        }
    }

    private async Task<string> ShAsync(string node, string script, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, ["sh", "-c", "set -e\n" + script], CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"on {node}: {result.FirstErrorLine}");
        }
        return result.StandardOutput;
    }
}
