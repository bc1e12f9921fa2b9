using Tandem.Model.Resources;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler;

/// <summary>
/// Where resources run now, read from a snapshot's status the way the scheduler reads it (operation
/// history, failures, migrations), without planning anything: what <c>crm_resource --locate</c> answers.
/// </summary>
public static class Locator
{
    public static IReadOnlyList<ActiveInstance> Locate(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Scheduler.RunWithDeepStack(() =>
        {
            var ws = ConfigUnpacker.Unpack(snapshot);
            var active = new List<ActiveInstance>();
            foreach (var rsc in ws.Resources)
            {
                Collect(rsc, active);
            }
            return (IReadOnlyList<ActiveInstance>)active;
        });
    }

    private static void Collect(Resource rsc, List<ActiveInstance> active)
    {
        if (rsc.Variant != ResourceVariant.Primitive)
        {
            foreach (var child in rsc.Children)
            {
                Collect(child, active);
            }
            return;
        }
        var lineage = new List<string>();
        for (var r = rsc; r is not null; r = r.Parent)
        {
            if (lineage.Count == 0 || lineage[^1] != r.XmlId)
            {
                lineage.Add(r.XmlId);
            }
        }
        // A started instance of a promotable clone is unpromoted (Pacemaker prints it so).
        var promotable = rsc.Parent is { } parent && parent.Top.Is(ResourceFlags.Promotable);
        var role = rsc.Role == Role.Promoted ? Role.Promoted : promotable ? Role.Unpromoted : Role.Started;
        foreach (var node in rsc.RunningOn)
        {
            active.Add(new ActiveInstance(rsc.Id, lineage, node.Uname, role));
        }
    }
}
