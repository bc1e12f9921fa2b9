using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Output;

/// <summary>
/// Writes allocation scores as crm_simulate -s does: one line per node, sorted by node name, for the
/// resource and then recursively for each child with its own table. Orphans are not shown.
/// </summary>
internal static class ScoreOutput
{
    public static void Log(WorkingSet ws, Resource? rsc, string comment, NodeTable? nodes, bool toLog)
    {
        if (toLog || ws.ScoreLog is null)
        {
            return;
        }
        if (rsc is not null && rsc.Is(ResourceFlags.Orphan))
        {
            return;
        }
        if (nodes is null)
        {
            return;
        }
        var sorted = GList.Sort(nodes.Values, (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname));
        foreach (var node in sorted)
        {
            ws.ScoreLog.Add(rsc is null
                ? $"{comment}: {node.Uname} = {Scores.ToText(node.Weight)}"
                : $"{comment}: {rsc.Id} allocation score on {node.Uname}: {Scores.ToText(node.Weight)}");
        }
        if (rsc is not null)
        {
            foreach (var child in rsc.Children)
            {
                Log(ws, child, comment, child.AllowedNodes, toLog);
            }
        }
    }

    /// <summary>A promotion score line (pcmk__set_instance_roles with scores shown).</summary>
    public static void Promotion(WorkingSet ws, Resource instance, Node? chosen)
    {
        ws.ScoreLog?.Add($"{instance.Id} promotion score on {(chosen is null ? "none" : chosen.Uname)}: {Scores.ToText(instance.SortIndex)}");
    }
}
