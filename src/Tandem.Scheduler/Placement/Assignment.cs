using Tandem.Model.Resources;
using Tandem.Scheduler.Clones;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>
/// Chooses a node for each resource. A primitive first places the resources it must follow ("this with"
/// colocations), merges in the wishes of resources that follow it ("with this"), then takes the best
/// node, staying where it is on ties.
/// </summary>
internal static class Assignment
{
    /// <summary>Assigns any kind of resource; returns its node when it is entirely on one.</summary>
    public static Node? Assign(Resource rsc, Node? prefer) => rsc.Variant switch
    {
        ResourceVariant.Primitive => AssignPrimitive(rsc, prefer),
        ResourceVariant.Group => GroupAssignment.Assign(rsc, prefer),
        ResourceVariant.Clone => CloneAssignment.Assign(rsc, prefer),
        _ => null,
    };

    /// <summary>Applies a colocation on behalf of the dependent (rsc->cmds->apply_coloc_score(..., true)).</summary>
    public static void ApplyColocationForDependent(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        if (dependent.Variant == ResourceVariant.Group)
        {
            GroupAssignment.ColocateGroupWith(dependent, primary, colocation);
        }
        else
        {
            ApplyColocationForPrimary(dependent, primary, colocation);
        }
    }

    /// <summary>Applies a colocation where <paramref name="dependent"/> is a primitive, dispatching on the primary's kind.</summary>
    public static void ApplyColocationForPrimary(Resource dependent, Resource primary, Working.Colocation colocation)
    {
        switch (primary.Variant)
        {
            case ResourceVariant.Group:
                GroupAssignment.ColocateWithGroup(dependent, primary, colocation);
                break;
            case ResourceVariant.Clone:
                CloneAssignment.ApplyColocation(dependent, primary, colocation);
                break;
            default:
                switch (Colocations.Affects(dependent, primary, colocation, preview: false))
                {
                    case ColocationEffect.Role:
                        Colocations.ApplyToPriority(dependent, primary, colocation);
                        break;
                    case ColocationEffect.Location:
                        Colocations.ApplyToWeights(dependent, primary, colocation);
                        break;
                }
                break;
        }
    }

    private static Node? AssignPrimitive(Resource rsc, Node? prefer)
    {
        var ws = rsc.Cluster;
        if (rsc.Parent is not null && !rsc.Parent.Is(ResourceFlags.Allocating))
        {
            Assign(rsc.Parent, prefer);
        }
        if (!rsc.Is(ResourceFlags.Provisional))
        {
            return rsc.AllocatedTo;
        }
        if (rsc.Is(ResourceFlags.Allocating))
        {
            return null;
        }
        rsc.Set(ResourceFlags.Allocating);
        ScoreOutput.Log(ws, rsc, "Pre-assignment", rsc.AllowedNodes, toLog: true);

        foreach (var colocation in rsc.ThisWith.ToList())
        {
            ApplyThisWith(rsc, colocation);
        }
        foreach (var colocation in rsc.WithThis.ToList())
        {
            ApplyWithThis(rsc, colocation);
        }

        if (rsc.NextRole == Role.Stopped)
        {
            NodeScores.ResourceLocation(rsc, null, -Scores.Infinity, "target-role");
        }
        else if (rsc.NextRole > rsc.Role && !ws.Is(ClusterFlags.HaveQuorum) && ws.NoQuorumPolicy == NoQuorumPolicy.Freeze)
        {
            rsc.NextRole = rsc.Role;
        }
        ScoreOutput.Log(ws, rsc, "pcmk__primitive_assign", rsc.AllowedNodes, toLog: false);

        if (ws.Is(ClusterFlags.StonithEnabled) && !ws.Is(ClusterFlags.HaveStonithResource))
        {
            rsc.Clear(ResourceFlags.Managed);
        }
        if (!rsc.Is(ResourceFlags.Managed))
        {
            rsc.NextRole = rsc.Role;
            FinalizeAssignment(rsc, rsc.CurrentNode(), force: true);
        }
        else if (ws.Is(ClusterFlags.StopEverything))
        {
            FinalizeAssignment(rsc, null, force: true);
        }
        else if (rsc.Is(ResourceFlags.Provisional) && AssignBestNode(rsc, prefer))
        {
            // Assigned.
        }
        rsc.Clear(ResourceFlags.Allocating);
        if (rsc.IsRemoteNode)
        {
            RemoteConnectionAssigned(rsc);
        }
        return rsc.AllocatedTo;
    }

    private static void ApplyThisWith(Resource rsc, Working.Colocation colocation)
    {
        NodeTable? archive = null;
        var other = colocation.Primary;
        if (colocation.DependentRole >= Role.Promoted || (colocation.Score < 0 && colocation.Score > -Scores.Infinity))
        {
            archive = rsc.AllowedNodes.Copy();
        }
        Assign(other, null);
        ApplyColocationForDependent(rsc, other, colocation);
        if (archive is not null && !NodeAvailability.AnyAvailable(rsc.AllowedNodes))
        {
            rsc.AllowedNodes = archive;
        }
    }

    private static void ApplyWithThis(Resource rsc, Working.Colocation colocation)
    {
        var other = colocation.Dependent;
        var factor = colocation.Score / (float)Scores.Infinity;
        if (!Colocations.HasInfluence(colocation, null))
        {
            return;
        }
        var table = (NodeTable?)rsc.AllowedNodes;
        ColocatedScores.Add(other, rsc.Id, ref table, colocation.NodeAttribute, factor, ColocatedScores.Select.Active);
        rsc.AllowedNodes = table!;
    }

    private static void RemoteConnectionAssigned(Resource connection)
    {
        var remote = connection.Cluster.FindNode(connection.Id);
        if (remote is null)
        {
            return;
        }
        if (connection.AllocatedTo is not null && connection.NextRole != Role.Stopped)
        {
            remote.Details.Online = true;
            if (remote.Details.Unseen)
            {
                remote.Details.Unclean = false;
            }
        }
        else
        {
            remote.Details.Shutdown = true;
        }
    }

    private static bool AssignBestNode(Resource rsc, Node? prefer)
    {
        var mostFree = Utilization.BanInsufficientCapacity(rsc);
        prefer ??= mostFree;
        if (!rsc.Is(ResourceFlags.Provisional))
        {
            return rsc.AllocatedTo is not null;
        }
        var nodes = NodeAvailability.Sort(rsc.AllowedNodes.Values, rsc.CurrentNode(), rsc.Cluster);
        var best = nodes.Count > 0 ? nodes[0] : null;
        Node? chosen = null;
        if (prefer is not null && nodes.Count > 0)
        {
            chosen = rsc.AllowedNodes.Get(prefer.Id);
            if (chosen is not null && chosen.Weight < best!.Weight)
            {
                chosen = null;
            }
            else if (chosen is not null && !NodeAvailability.Available(chosen, true, false))
            {
                chosen = null;
            }
        }
        if (chosen is null && best is not null)
        {
            chosen = best;
            if (!(rsc.Parent?.IsUniqueClone ?? false) && chosen.Weight > 0 && NodeAvailability.Available(chosen, false, false))
            {
                var running = rsc.CurrentNode();
                if (running is not null && NodeAvailability.Available(running, true, false))
                {
                    for (var i = 1; i < nodes.Count; i++)
                    {
                        var allowed = nodes[i];
                        if (allowed.Weight != chosen.Weight)
                        {
                            break;
                        }
                        if (ReferenceEquals(allowed.Details, running.Details))
                        {
                            chosen = allowed;
                        }
                    }
                }
            }
        }
        return FinalizeAssignment(rsc, chosen, force: false);
    }

    /// <summary>Records the chosen node (or none), updating counts, capacity and next role (pcmk__finalize_assignment).</summary>
    public static bool FinalizeAssignment(Resource rsc, Node? chosen, bool force)
    {
        if (!force && chosen is not null)
        {
            if (chosen.Weight < 0 || (!NodeAvailability.Available(chosen, true, false) && !chosen.Details.IsGuest))
            {
                rsc.NextRole = Role.Stopped;
                chosen = null;
            }
        }
        Unassign(rsc);
        rsc.Clear(ResourceFlags.Provisional);
        if (chosen is null)
        {
            rsc.NextRole = Role.Stopped;
            foreach (var op in rsc.Actions.ToList())
            {
                if (string.Equals(op.Task, Actions.ActionFactory.Stop, StringComparison.OrdinalIgnoreCase))
                {
                    op.Clear(ActionFlags.Optional);
                }
                else if (string.Equals(op.Task, Actions.ActionFactory.Start, StringComparison.OrdinalIgnoreCase))
                {
                    op.Clear(ActionFlags.Runnable);
                }
                else
                {
                    var interval = op.Meta.GetValueOrDefault("interval");
                    var targetRc = op.Meta.GetValueOrDefault("op_target_rc");
                    if (interval is not null && interval != "0" && targetRc != "7")
                    {
                        op.Clear(ActionFlags.Runnable);
                    }
                }
            }
            return false;
        }
        rsc.AllocatedTo = chosen.Copy();
        chosen.Details.AllocatedRsc.Insert(0, rsc);
        chosen.Details.NumResources++;
        chosen.Count++;
        Utilization.Consume(chosen.Details.Utilization, rsc);
        return true;
    }

    public static void Unassign(Resource rsc)
    {
        var old = rsc.AllocatedTo;
        if (old is null)
        {
            return;
        }
        rsc.Set(ResourceFlags.Provisional);
        rsc.AllocatedTo = null;
        old.Details.AllocatedRsc.Remove(rsc);
        old.Details.NumResources--;
        Utilization.Release(old.Details.Utilization, rsc);
    }

    /// <summary>Assigns a resource and all its descendants to one node or none (pcmk__assign_resource).</summary>
    public static bool AssignResource(Resource rsc, Node? node, bool force)
    {
        var changed = false;
        if (rsc.Children.Count == 0)
        {
            if (rsc.AllocatedTo is not null)
            {
                changed = true;
            }
            FinalizeAssignment(rsc, node, force);
        }
        else
        {
            foreach (var child in rsc.Children)
            {
                changed |= AssignResource(child, node, force);
            }
        }
        return changed;
    }
}
