using System.Globalization;
using System.Text;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Output;

/// <summary>
/// The cluster's runtime state read from a snapshot the way crm_mon reads the CIB: the status lines of
/// crm_simulate, where each resource is active, the failed operations and the fail counts.
/// </summary>
public static class RuntimeView
{
    public static RuntimeReport Build(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Scheduler.RunWithDeepStack(() =>
        {
            var ws = ConfigUnpacker.Unpack(snapshot);
            var lines = new List<string>(Simulator.Preamble(ws));
            if (lines.Count > 0)
            {
                lines.Add("");
            }
            lines.AddRange(StatusPrinter.Lines(ws, showPending: true));
            var placements = new List<ResourcePlacement>();
            foreach (var rsc in ws.Resources)
            {
                AddPlacements(rsc, placements);
            }
            return new RuntimeReport(lines, placements, FailedActions(ws), FailCountEntries(ws, snapshot));
        });
    }

    private static void AddPlacements(Resource rsc, List<ResourcePlacement> placements)
    {
        if (rsc.Variant != ResourceVariant.Primitive)
        {
            foreach (var child in rsc.Children)
            {
                AddPlacements(child, placements);
            }
            return;
        }
        var definition = rsc.Definition;
        var agent = definition.Provider is null ? $"{definition.Class}:{definition.Type}" : $"{definition.Class}:{definition.Provider}:{definition.Type}";
        var role = rsc.RunningOn.Count == 0 ? Role.Stopped : rsc.Role;
        placements.Add(new ResourcePlacement(
            rsc.Id,
            rsc.Parent?.Id,
            agent,
            role.ToName(),
            rsc.RunningOn.Select(n => n.Details.Uname).ToList(),
            rsc.Is(ResourceFlags.Managed),
            rsc.Is(ResourceFlags.Failed)));
    }

    /// <summary>The failed operations crm_mon lists, with its friendly text (pe_output.c, failed_action_friendly).</summary>
    private static List<FailedAction> FailedActions(WorkingSet ws)
    {
        var actions = new List<FailedAction>();
        foreach (var failed in ws.Failed)
        {
            var op = failed.Operation;
            var rc = op.RcCode ?? 0;
            var status = op.OpStatus ?? ExecStatus.Done;
            if (op.IsProbe && (rc is ExecStatus.OcfNotInstalled or ExecStatus.OcfInvalidParam || status == ExecStatus.NotInstalled))
            {
                // A probe finding the agent missing or unconfigured is expected on nodes that do not run it.
                continue;
            }
            var key = op.KeyOrId;
            if (!OpKeys.TryParse(key, out var rscId, out var task, out var intervalMs))
            {
                continue;
            }
            var reason = string.IsNullOrEmpty(op.ExitReason) ? null : op.ExitReason;
            var text = new StringBuilder(rscId).Append(' ');
            if (intervalMs != 0)
            {
                text.Append(ReadableInterval(intervalMs)).Append("-interval ");
            }
            text.Append(intervalMs == 0 && task == "monitor" ? "probe" : task).Append(" on ").Append(failed.NodeName);
            if (status == ExecStatus.Done)
            {
                text.Append(" returned '").Append(ExecStatus.OcfText(rc)).Append('\'');
                if (reason is not null)
                {
                    text.Append(" (").Append(reason).Append(')');
                }
            }
            else
            {
                text.Append(" could not be executed (").Append(ExecStatus.StatusText(status));
                if (reason is not null)
                {
                    text.Append(": ").Append(reason);
                }
                text.Append(')');
            }
            if (op.LastRcChange is { } changed)
            {
                text.Append(" at ").Append(EpochText(changed));
            }
            if (op.ExecTimeMs is > 0 and <= uint.MaxValue)
            {
                text.Append(" after ").Append(ReadableInterval((uint)op.ExecTimeMs.Value));
            }
            actions.Add(new FailedAction(rscId, key, failed.NodeName, rc, ExecStatus.OcfText(rc), ExecStatus.StatusText(status), reason, text.ToString()));
        }
        return actions;
    }

    /// <summary>
    /// Fail counts as crm_mon's migration summary finds them: per online node in status order, per resource
    /// with history there, the recorded fail count (expired failures included, as pe_fc_default) when above zero.
    /// </summary>
    private static List<FailCountEntry> FailCountEntries(WorkingSet ws, ClusterSnapshot snapshot)
    {
        var entries = new List<FailCountEntry>();
        foreach (var state in snapshot.Status.Nodes)
        {
            var node = ws.Nodes.FirstOrDefault(n => n.Details.Id == state.Id);
            if (node is null || !node.Details.Online)
            {
                continue;
            }
            foreach (var history in state.Resources)
            {
                if (Find(ws.Resources, history.Id) is not { } rsc)
                {
                    continue;
                }
                var count = FailCounts.Get(ws, node.Details, rsc, out var lastFailure, effective: false, fillers: false);
                if (count <= 0)
                {
                    continue;
                }
                var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{history.Id}: migration-threshold={rsc.MigrationThreshold} fail-count={count}"));
                if (lastFailure > 0)
                {
                    text.Append(" last-failure='").Append(EpochText(lastFailure)).Append('\'');
                }
                entries.Add(new FailCountEntry(
                    node.Details.Uname,
                    history.Id,
                    count,
                    lastFailure > 0 ? DateTimeOffset.FromUnixTimeSeconds(lastFailure) : null,
                    rsc.MigrationThreshold,
                    text.ToString()));
            }
        }
        return entries;
    }

    /// <summary>An interval as Pacemaker writes it for people (pcmk__readable_interval): 30s, 1m30s, 142ms.</summary>
    private static string ReadableInterval(uint intervalMs)
    {
        const uint second = 1000, minute = 60 * second, hour = 60 * minute, day = 24 * hour;
        var text = new StringBuilder();
        foreach (var (unit, suffix) in new[] { (day, "d"), (hour, "h"), (minute, "m") })
        {
            if (intervalMs > unit)
            {
                text.Append(CultureInfo.InvariantCulture, $"{intervalMs / unit}{suffix}");
                intervalMs %= unit;
            }
        }
        if (intervalMs > second)
        {
            text.Append(CultureInfo.InvariantCulture, $"{intervalMs / second}");
            if (intervalMs % second > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $".{intervalMs % second:000}");
            }
            text.Append('s');
        }
        else if (intervalMs > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{intervalMs}ms");
        }
        else if (text.Length == 0)
        {
            text.Append("0s");
        }
        return text.ToString();
    }

    /// <summary>A time as ctime(3) writes it, in UTC (Pacemaker writes local time; Tandem's nodes log in UTC).</summary>
    private static string EpochText(long epochSeconds)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(epochSeconds).UtcDateTime;
        return time.ToString("ddd MMM ", CultureInfo.InvariantCulture)
            + time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + time.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    private static Resource? Find(IEnumerable<Resource> resources, string id)
    {
        foreach (var rsc in resources)
        {
            if (rsc.Id == id || rsc.XmlId == id || rsc.CloneName == id)
            {
                return rsc;
            }
            if (Find(rsc.Children, id) is { } child)
            {
                return child;
            }
        }
        return null;
    }
}
