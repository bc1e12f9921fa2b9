using Tandem.Model.Status;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;

namespace Tandem.Scheduler.Unpack;

/// <summary>Ordering of operation history entries by age, and where the active period starts and ends.</summary>
internal static class OperationHistory
{
    /// <summary>Entries oldest first (sort_op_by_callid), from the document order Pacemaker reverses first.</summary>
    public static List<OperationRecord> SortByCallId(IReadOnlyList<OperationRecord> ops)
    {
        var reversed = ops.Reverse().ToList();
        return GList.Sort(reversed, (a, b) => IsNewer(a, b, sameNodeDefault: true));
    }

    /// <summary>
    /// Compares two entries' ages (pe__is_newer_op): by call id on the same node, else by last-rc-change,
    /// and for pending operations by their transition numbers.
    /// </summary>
    public static int IsNewer(OperationRecord a, OperationRecord b, bool sameNodeDefault)
    {
        bool sameNode = a.OnNode is null || b.OnNode is null
            ? sameNodeDefault
            : string.Equals(a.OnNode, b.OnNode, StringComparison.OrdinalIgnoreCase);
        if (sameNode && a.Id == b.Id)
        {
            return 0;
        }
        var aCall = a.CallId ?? -1;
        var bCall = b.CallId ?? -1;
        if (aCall == -1 && bCall == -1)
        {
            return 0;
        }
        if (sameNode && aCall >= 0 && aCall < bCall)
        {
            return -1;
        }
        if (sameNode && bCall >= 0 && aCall > bCall)
        {
            return 1;
        }
        if (aCall >= 0 && bCall >= 0 && (!sameNode || aCall == bCall))
        {
            var lastA = a.LastRcChange ?? -1;
            var lastB = b.LastRcChange ?? -1;
            if (lastA >= 0 && lastA < lastB)
            {
                return -1;
            }
            if (lastB >= 0 && lastA > lastB)
            {
                return 1;
            }
            return 0;
        }
        var magicA = TransitionMagic.TryParse(a.TransitionMagic);
        var magicB = TransitionMagic.TryParse(b.TransitionMagic);
        if (magicA is null || magicB is null)
        {
            return 0;
        }
        var aId = magicA.Key.TransitionId;
        var bId = magicB.Key.TransitionId;
        if (!string.Equals(magicA.Key.CoordinatorUuid, magicB.Key.CoordinatorUuid, StringComparison.OrdinalIgnoreCase) || aId == bId)
        {
            if (bCall == -1)
            {
                return -1;
            }
            if (aCall == -1)
            {
                return 1;
            }
        }
        else if ((aId >= 0 && aId < bId) || bId == -1)
        {
            return -1;
        }
        else if ((bId >= 0 && aId > bId) || aId == -1)
        {
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Finds the last successful stop and the start of the current active period in a sorted history
    /// (calculate_active_ops); a promote/demote or a successful monitor implies a start when none is recorded.
    /// </summary>
    public static void CalculateActiveOps(List<OperationRecord> sorted, out int startIndex, out int stopIndex)
    {
        var impliedMonitorStart = -1;
        var impliedCloneStart = -1;
        stopIndex = -1;
        startIndex = -1;
        for (var counter = 0; counter < sorted.Count; counter++)
        {
            var op = sorted[counter];
            var task = op.Operation;
            if (task == ActionFactory.Stop && op.OpStatus == 0)
            {
                stopIndex = counter;
            }
            else if (task is ActionFactory.Start or ActionFactory.MigrateFrom)
            {
                startIndex = counter;
            }
            else if (impliedMonitorStart <= stopIndex && task == ActionFactory.Monitor)
            {
                if (op.RcCode is 0 or 8)
                {
                    impliedMonitorStart = counter;
                }
            }
            else if (task is ActionFactory.Promote or ActionFactory.Demote)
            {
                impliedCloneStart = counter;
            }
        }
        if (startIndex == -1)
        {
            if (impliedCloneStart != -1)
            {
                startIndex = impliedCloneStart;
            }
            else if (impliedMonitorStart != -1)
            {
                startIndex = impliedMonitorStart;
            }
        }
    }
}
