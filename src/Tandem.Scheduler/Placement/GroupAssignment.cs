using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>
/// Places a group: its colocations become the first member's ("group with R") and the last member's
/// ("R with group"), then members are placed in order, each colocated with the one before it.
/// </summary>
internal static class GroupAssignment
{
    public static Node? Assign(Resource rsc, Node? prefer)
    {
        if (!rsc.Is(ResourceFlags.Provisional))
        {
            return rsc.AllocatedTo;
        }
        if (rsc.Is(ResourceFlags.Allocating))
        {
            return null;
        }
        if (rsc.Children.Count == 0)
        {
            rsc.Clear(ResourceFlags.Provisional);
            return null;
        }
        rsc.Set(ResourceFlags.Allocating);
        var first = rsc.Children[0];
        rsc.Role = first.Role;
        ExpandColocations(rsc);
        ScoreOutput.Log(rsc.Cluster, rsc, "pcmk__group_assign", rsc.AllowedNodes, toLog: false);
        Node? firstAssigned = null;
        foreach (var member in rsc.Children)
        {
            var node = Assignment.Assign(member, prefer);
            firstAssigned ??= node;
        }
        rsc.NextRole = first.NextRole;
        rsc.Clear(ResourceFlags.Allocating | ResourceFlags.Provisional);
        return rsc.Group!.Colocated ? firstAssigned : null;
    }

    private static void ExpandColocations(Resource rsc)
    {
        var member = rsc.Children[0];
        foreach (var colocation in rsc.ThisWith)
        {
            Colocations.AddThisWith(member, colocation);
        }
        // A mandatory colocation of the group must also hold for members after an unmanaged one.
        var anyUnmanaged = !member.Is(ResourceFlags.Managed);
        for (var i = 1; i < rsc.Children.Count; i++)
        {
            member = rsc.Children[i];
            if (anyUnmanaged)
            {
                foreach (var colocation in rsc.ThisWith)
                {
                    if (colocation.Score == Scores.Infinity)
                    {
                        Colocations.AddThisWith(member, colocation);
                    }
                }
            }
            else if (!member.Is(ResourceFlags.Managed))
            {
                anyUnmanaged = true;
            }
        }
        rsc.ThisWith = [];
        var last = rsc.LastGroupMember();
        foreach (var colocation in rsc.WithThis)
        {
            Colocations.AddWithThis(last, colocation);
        }
        rsc.WithThis = [];
    }

    /// <summary>"Group with R": the first member follows R (the rest follow it), or each member if not colocated.</summary>
    public static void ColocateGroupWith(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        if (dependent.Children.Count == 0)
        {
            return;
        }
        if (dependent.Group!.Colocated)
        {
            var first = dependent.Children[0];
            Assignment.ApplyColocationForDependent(first, primary, colocation);
            return;
        }
        if (colocation.Score >= Scores.Infinity)
        {
            return;
        }
        foreach (var member in dependent.Children)
        {
            Assignment.ApplyColocationForDependent(member, primary, colocation);
        }
    }

    /// <summary>"R with group": mandatory colocations use the last member, optional ones the first.</summary>
    public static void ColocateWithGroup(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        if (primary.Is(ResourceFlags.Provisional))
        {
            return;
        }
        if (primary.Group!.Colocated)
        {
            Resource? member = null;
            if (colocation.Score >= Scores.Infinity)
            {
                member = primary.Children.Count > 0 ? primary.LastGroupMember() : null;
            }
            else if (primary.Children.Count > 0)
            {
                member = primary.Children[0];
            }
            if (member is null)
            {
                return;
            }
            Assignment.ApplyColocationForPrimary(dependent, member, colocation);
            return;
        }
        if (colocation.Score >= Scores.Infinity)
        {
            return;
        }
        foreach (var member in primary.Children)
        {
            Assignment.ApplyColocationForPrimary(dependent, member, colocation);
        }
    }
}
