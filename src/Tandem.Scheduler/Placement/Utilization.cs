using System.Globalization;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Colocation;
using Tandem.Scheduler.Ordering;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Placement;

/// <summary>
/// Capacity-aware placement (placement-strategy utilization, minimal or balanced): node capacities are
/// consumed by assigned resources, nodes without room for a resource and those colocated with it are
/// banned, and balanced placement prefers the node with the most spare capacity.
/// </summary>
internal static class Utilization
{
    private static int Value(string? text)
    {
        if (text is null)
        {
            return 0;
        }
        return (int)Math.Clamp(Model.Status.StatusXmlReader.ParseLong(text) ?? 0, int.MinValue, int.MaxValue);
    }

    /// <summary>Negative when node1 has more spare capacity than node2 (pcmk__compare_node_capacities).</summary>
    public static int CompareCapacities(Node node1, Node node2)
    {
        var result = 0;
        foreach (var (key, value) in node1.Details.Utilization)
        {
            var c1 = Value(value);
            var c2 = Value(node2.Details.Utilization.GetValueOrDefault(key));
            if (c1 > c2)
            {
                result--;
            }
            else if (c1 < c2)
            {
                result++;
            }
        }
        foreach (var (key, value) in node2.Details.Utilization)
        {
            if (node1.Details.Utilization.ContainsKey(key))
            {
                continue;
            }
            var c2 = Value(value);
            if (c2 > 0)
            {
                result++;
            }
            else if (c2 < 0)
            {
                result--;
            }
        }
        return result;
    }

    public static void Consume(Dictionary<string, string> current, Resource rsc)
    {
        foreach (var (key, value) in rsc.Utilization)
        {
            current[key] = current.TryGetValue(key, out var existing)
                ? (Value(existing) - Value(value)).ToString(CultureInfo.InvariantCulture)
                : "0";
        }
    }

    public static void Release(Dictionary<string, string> current, Resource rsc)
    {
        foreach (var (key, value) in rsc.Utilization)
        {
            current[key] = (Value(current.GetValueOrDefault(key)) + Value(value)).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static bool HaveEnoughCapacity(Node node, IReadOnlyDictionary<string, string> utilization)
    {
        foreach (var (key, value) in utilization)
        {
            if (Value(value) > Value(node.Details.Utilization.GetValueOrDefault(key)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Bans the resource from nodes lacking capacity for it and its colocated resources (or, if no node
    /// has room for them all, for it alone); returns the node with most spare capacity in the latter case.
    /// </summary>
    public static Node? BanInsufficientCapacity(Resource rsc)
    {
        if (string.Equals(rsc.Cluster.PlacementStrategy, "default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var colocated = ColocatedResources.Collect(rsc, null, []);
        if (colocated.Count == 0)
        {
            return null;
        }
        if (!colocated.Contains(rsc))
        {
            colocated.Add(rsc);
        }
        var unallocated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in colocated)
        {
            AddUtilization(member, rsc, colocated, unallocated);
        }
        var anyCapable = false;
        Node? mostCapable = null;
        foreach (var node in rsc.AllowedNodes.Values)
        {
            if (!NodeAvailability.Available(node, true, false))
            {
                continue;
            }
            if (HaveEnoughCapacity(node, unallocated))
            {
                anyCapable = true;
            }
            if (mostCapable is null || CompareCapacities(node, mostCapable) < 0)
            {
                mostCapable = node;
            }
        }
        var needed = anyCapable ? unallocated : (IReadOnlyDictionary<string, string>)rsc.Utilization;
        foreach (var node in rsc.AllowedNodes.Values.ToList())
        {
            if (NodeAvailability.Available(node, true, false) && !HaveEnoughCapacity(node, needed))
            {
                NodeScores.ResourceLocation(rsc, node, -Scores.Infinity, "__limit_utilization__");
            }
        }
        return anyCapable ? null : mostCapable;
    }

    /// <summary>Adds a not-yet-assigned resource's utilization to a running sum (add_utilization per variant).</summary>
    public static void AddUtilization(Resource rsc, Resource orig, List<Resource> all, Dictionary<string, string> utilization)
    {
        if (!rsc.Is(ResourceFlags.Provisional))
        {
            return;
        }
        switch (rsc.Variant)
        {
            case ResourceVariant.Primitive:
                Release(utilization, rsc);
                break;
            case ResourceVariant.Group:
                if (rsc.Group!.Colocated || (rsc.Parent?.IsClone ?? false))
                {
                    foreach (var member in rsc.Children)
                    {
                        if (member.Is(ResourceFlags.Provisional) && !all.Contains(member))
                        {
                            AddUtilization(member, orig, all, utilization);
                        }
                    }
                }
                else if (rsc.Children.Count > 0)
                {
                    var member = rsc.Children[0];
                    if (member.Is(ResourceFlags.Provisional) && !all.Contains(member))
                    {
                        AddUtilization(member, orig, all, utilization);
                    }
                }
                break;
            case ResourceVariant.Clone:
                var existing = false;
                foreach (var child in rsc.Children)
                {
                    if (all.Contains(child))
                    {
                        existing = true;
                    }
                    else
                    {
                        foreach (var member in child.Children)
                        {
                            if (all.Contains(member))
                            {
                                AddUtilization(child, orig, all, utilization);
                                existing = true;
                                break;
                            }
                        }
                    }
                }
                if (!existing && rsc.Children.Count > 0)
                {
                    AddUtilization(rsc.Children[0], orig, all, utilization);
                }
                break;
        }
    }

    private static SchedAction LoadStoppedOp(WorkingSet ws, Node node)
    {
        var loadStopped = ActionFactory.PseudoOp(ws, $"load_stopped_{node.Uname}");
        if (loadStopped.Node is null)
        {
            loadStopped.Node = node.Copy();
            loadStopped.Clear(ActionFlags.Optional);
        }
        return loadStopped;
    }

    /// <summary>Orders stops that free capacity before starts that use it on the same node.</summary>
    public static void CreateConstraints(Resource rsc, List<Node> allowedNodes)
    {
        var ws = rsc.Cluster;
        foreach (var node in rsc.RunningOn)
        {
            var loadStopped = LoadStoppedOp(ws, node);
            Orderings.New(ws, rsc, ActionFactory.StopKey(rsc), null, null, null, loadStopped, OrderFlags.Load);
        }
        foreach (var node in allowedNodes)
        {
            var loadStopped = LoadStoppedOp(ws, node);
            Orderings.New(ws, null, null, loadStopped, rsc, ActionFactory.StartKey(rsc), null, OrderFlags.Load);
            Orderings.New(ws, null, null, loadStopped, rsc, Common.OpKeys.Key(rsc.Id, ActionFactory.MigrateTo, 0), null, OrderFlags.Load);
        }
    }
}
