using System.Text;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Output;

/// <summary>
/// The cluster status as crm_simulate prints it: the node list (online and offline nodes in lists,
/// nodes in unusual states one by one), then every resource with its state, groups with their members,
/// clones as lists of nodes per role unless an instance needs to be shown on its own.
/// </summary>
internal sealed class StatusPrinter(WorkingSet ws, bool showPending)
{
    private readonly List<string> _lines = [];

    public static List<string> Lines(WorkingSet ws, bool showPending)
    {
        var printer = new StatusPrinter(ws, showPending);
        printer.Print();
        return printer._lines;
    }

    private void Item(int depth, string text) => _lines.Add(new string(' ', 2 * depth) + "* " + text);

    private void Print()
    {
        PrintNodes();
        _lines.Add("");
        Item(1, "Full List of Resources:");
        var any = false;
        foreach (var rsc in ws.Resources)
        {
            var active = rsc.Active(true);
            if (rsc.Is(ResourceFlags.Orphan) && !active)
            {
                continue;
            }
            if (rsc.Active(false) && rsc.RunningOn.Count == 0)
            {
                // Partially active but running nowhere listed (an unmanaged instance on an offline node).
                continue;
            }
            any |= PrintResource(rsc, 2);
        }
        if (!any)
        {
            Item(2, "No resources");
        }
    }

    private void PrintNodes()
    {
        Item(1, "Node List:");
        var online = new List<string>();
        var offline = new List<string>();
        var onlineRemote = new List<string>();
        var offlineRemote = new List<string>();
        var onlineGuest = new List<string>();
        foreach (var node in ws.Nodes)
        {
            var d = node.Details;
            if (d.Unclean || d.Pending || (d.StandbyOnFail && d.Online) || d.Standby || d.Maintenance || NodeHealth(d) <= 0)
            {
                PrintNode(d);
            }
            else if (d.Online)
            {
                (d.IsGuest ? onlineGuest : d.IsRemote ? onlineRemote : online).Add(d.Uname);
            }
            else if (d.IsRemote)
            {
                offlineRemote.Add(d.Uname);
            }
            else if (!d.IsGuest)
            {
                offline.Add(d.Uname);
            }
        }
        AddNodeList("Online", online);
        AddNodeList("OFFLINE", offline);
        AddNodeList("RemoteOnline", onlineRemote);
        AddNodeList("RemoteOFFLINE", offlineRemote);
        AddNodeList("GuestOnline", onlineGuest);
    }

    private void AddNodeList(string title, List<string> names)
    {
        if (names.Count > 0)
        {
            Item(2, $"{title}: [ {string.Join(' ', names)} ]");
        }
    }

    private void PrintNode(NodeDetails node)
    {
        var kind = node.IsGuest ? "GuestNode" : node.IsRemote ? "RemoteNode" : "Node";
        var text = $"{kind} {node.Uname}: {NodeStatusText(node)}";
        var health = NodeHealth(node);
        if (health < 0)
        {
            text += " (health is RED)";
        }
        else if (health == 0)
        {
            text += " (health is YELLOW)";
        }
        Item(2, text);
    }

    private static string NodeStatusText(NodeDetails node)
    {
        if (node.Unclean)
        {
            return node.Online ? "UNCLEAN (online)" : node.Pending ? "UNCLEAN (pending)" : "UNCLEAN (offline)";
        }
        if (node.Pending)
        {
            return "pending";
        }
        if (node.StandbyOnFail && node.Online)
        {
            return "standby (on-fail)";
        }
        if (node.Standby)
        {
            if (!node.Online)
            {
                return "OFFLINE (standby)";
            }
            return node.RunningRsc.Count > 0 ? "standby (with active resources)" : "standby";
        }
        if (node.Maintenance)
        {
            return node.Online ? "maintenance" : "OFFLINE (maintenance)";
        }
        return node.Online ? "online" : "OFFLINE";
    }

    /// <summary>pe__node_health: negative if any health attribute is red, 0 if any is yellow, else positive.</summary>
    private int NodeHealth(NodeDetails node)
    {
        var strategy = ClusterOptions.HealthStrategy(ws.Options);
        if (strategy is not ("migrate-on-red" or "only-green" or "progressive" or "custom"))
        {
            return 1;
        }
        var result = 1;
        foreach (var (name, value) in node.Attrs)
        {
            if (!name.StartsWith("#health", StringComparison.Ordinal))
            {
                continue;
            }
            if (value.Equals("red", StringComparison.OrdinalIgnoreCase))
            {
                return -1;
            }
            if (value.Equals("yellow", StringComparison.OrdinalIgnoreCase))
            {
                result = 0;
                continue;
            }
            var score = ws.ParseScore(value);
            if (score <= ws.NodeHealthRed)
            {
                return -1;
            }
            if (score <= ws.NodeHealthYellow && ws.NodeHealthYellow != ws.NodeHealthGreen)
            {
                result = 0;
            }
        }
        return result;
    }

    private bool PrintResource(Resource rsc, int depth) => rsc.Variant switch
    {
        ResourceVariant.Primitive => PrintPrimitive(rsc, depth),
        ResourceVariant.Group => PrintGroup(rsc, depth),
        ResourceVariant.Clone => PrintClone(rsc, depth),
        _ => false,
    };

    private bool PrintPrimitive(Resource rsc, int depth)
    {
        if (PcmkText.IsTrue(rsc.Meta.GetValueOrDefault("internal_rsc")))
        {
            return false;
        }
        var node = rsc.CurrentNode()?.Details ?? rsc.PendingNode;
        Item(depth, PrimitiveText(rsc, rsc.PrintableId(), node));
        return true;
    }

    /// <summary>pcmk__native_output_string: "name\t(class:provider:type):\t state node (flags)".</summary>
    private string PrimitiveText(Resource rsc, string name, NodeDetails? node)
    {
        var definition = rsc.Definition;
        var cls = definition.Class ?? "unknown";
        var provider = string.Equals(cls, "ocf", StringComparison.OrdinalIgnoreCase) ? definition.Provider : null;
        var type = definition.Type ?? "unknown";
        node ??= rsc.LockNode;
        var multiple = rsc.RunningOn.Count > 1;
        if (multiple)
        {
            node = null;
        }
        var text = new StringBuilder();
        text.Append(name).Append("\t(").Append(cls).Append(provider is null ? "" : ":").Append(provider ?? "")
            .Append(':').Append(type).Append("):\t");
        if (rsc.Is(ResourceFlags.Orphan))
        {
            text.Append(" ORPHANED");
        }
        if (rsc.Is(ResourceFlags.Failed))
        {
            text.Append(" FAILED");
            var role = DisplayableRole(rsc);
            if (role > Role.Unpromoted)
            {
                text.Append(' ').Append(TransitionSummary.RoleText(role));
            }
        }
        else
        {
            text.Append(' ').Append(DisplayableState(rsc));
        }
        if (node is not null)
        {
            text.Append(' ').Append(node.Uname);
        }
        if (DisplayableRole(rsc) == Role.Stopped && FailedProbe(rsc, node?.Uname) is { } probe)
        {
            text.Append(" (").Append(ExecStatus.OcfText(probe.Operation.RcCode ?? 0)).Append(") ");
        }
        var flags = new List<string>();
        if (node is not null && !node.Online && node.Unclean)
        {
            flags.Add("UNCLEAN");
        }
        if (node is not null && ReferenceEquals(node, rsc.LockNode))
        {
            flags.Add("LOCKED");
        }
        if (showPending && rsc.PendingTask == "monitor")
        {
            flags.Add("Monitoring");
        }
        if (rsc.Meta.GetValueOrDefault("target-role") is { } targetRole)
        {
            var target = ConfigUnpacker.ParseRole(targetRole);
            if (target == Role.Stopped)
            {
                flags.Add("disabled");
            }
            else if (rsc.Top.Is(ResourceFlags.Promotable) && target == Role.Unpromoted)
            {
                flags.Add("target-role:" + targetRole);
            }
        }
        if (rsc.Is(ResourceFlags.Block))
        {
            flags.Add("blocked");
        }
        else if (!rsc.Is(ResourceFlags.Managed))
        {
            flags.Add("unmanaged");
        }
        if (rsc.Is(ResourceFlags.FailureIgnored))
        {
            flags.Add("failure ignored");
        }
        if (flags.Count > 0)
        {
            text.Append(" (").Append(string.Join(", ", flags)).Append(')');
        }
        if (multiple && definition.Description is { } description)
        {
            text.Append(' ').Append(description);
        }
        if (multiple)
        {
            text.Append(" [ ").Append(string.Join(' ', rsc.RunningOn.Select(n => n.Uname))).Append(" ]");
        }
        return text.ToString();
    }

    private static Role DisplayableRole(Resource rsc) =>
        rsc.Role == Role.Started && rsc.Top.Is(ResourceFlags.Promotable) ? Role.Unpromoted : rsc.Role;

    private string DisplayableState(Resource rsc)
    {
        if (showPending)
        {
            var pending = rsc.PendingTask switch
            {
                "start" => "Starting",
                "stop" => "Stopping",
                "migrate_to" or "migrate_from" => "Migrating",
                "promote" => "Promoting",
                "demote" => "Demoting",
                _ => null,
            };
            if (pending is not null)
            {
                return pending;
            }
        }
        return TransitionSummary.RoleText(DisplayableRole(rsc));
    }

    /// <summary>A probe of the resource that found it not installed or misconfigured (pe__failed_probe_for_rsc).</summary>
    private FailedOperation? FailedProbe(Resource rsc, string? nodeName)
    {
        var top = rsc.Top;
        var rscId = rsc.IsClone ? rsc.Clone!.ChildId : top.IsClone ? top.Clone!.ChildId : rsc.Id;
        foreach (var failed in ws.Failed)
        {
            var op = failed.Operation;
            if (!op.IsProbe || !(op.RcCode is 5 or 2 || op.OpStatus == ExecStatus.NotInstalled))
            {
                continue;
            }
            // Only entries that recorded where they ran (on_node) can be matched to a node.
            if (op.OnNode is null || (nodeName is not null && !string.Equals(op.OnNode, nodeName, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            if (!OpKeys.TryParse(op.KeyOrId, out var opRsc, out _, out _) || opRsc != rscId)
            {
                continue;
            }
            return failed;
        }
        return null;
    }

    private bool PrintGroup(Resource rsc, int depth)
    {
        var printed = false;
        foreach (var child in rsc.Children)
        {
            if (!printed)
            {
                var attrs = new List<string>();
                if (!rsc.Is(ResourceFlags.Managed))
                {
                    attrs.Add("unmanaged");
                }
                if (IsDisabled(rsc))
                {
                    attrs.Add("disabled");
                }
                Item(depth, attrs.Count > 0 ? $"Resource Group: {rsc.Id} ({string.Join(", ", attrs)}):" : $"Resource Group: {rsc.Id}:");
                printed = true;
            }
            PrintResource(child, depth + 1);
        }
        return printed;
    }

    private static bool IsDisabled(Resource rsc)
    {
        var role = ConfigUnpacker.ParseRole(rsc.Meta.GetValueOrDefault("target-role"));
        return role == Role.Stopped || (role == Role.Unpromoted && rsc.Top.Is(ResourceFlags.Promotable));
    }

    private void CloneHeader(Resource rsc, int depth, ref bool printed)
    {
        if (printed)
        {
            return;
        }
        printed = true;
        var attrs = new List<string>();
        if (rsc.Is(ResourceFlags.Promotable))
        {
            attrs.Add("promotable");
        }
        if (rsc.Is(ResourceFlags.Unique))
        {
            attrs.Add("unique");
        }
        if (!rsc.Is(ResourceFlags.Managed))
        {
            attrs.Add("unmanaged");
        }
        if (IsDisabled(rsc))
        {
            attrs.Add("disabled");
        }
        var header = $"Clone Set: {rsc.Id} [{rsc.Clone!.ChildId}]";
        Item(depth, attrs.Count > 0 ? $"{header} ({string.Join(", ", attrs)}):" : header + ":");
    }

    private static Role ConfiguredRole(Resource rsc)
    {
        var target = rsc.Meta.GetValueOrDefault("target-role");
        if (target is null && rsc.Children.Count > 0)
        {
            target = rsc.Children[0].Meta.GetValueOrDefault("target-role");
        }
        return target is null ? Role.Unknown : ConfigUnpacker.ParseRole(target);
    }

    private bool PrintClone(Resource rsc, int depth)
    {
        var printed = false;
        Dictionary<string, string>? stopped = null;
        var promoted = new List<NodeDetails>();
        var started = new List<NodeDetails>();
        var activeInstances = 0;
        foreach (var child in rsc.Children)
        {
            var printFull = false;
            var partiallyActive = child.Active(false);
            if (rsc.Is(ResourceFlags.Unique))
            {
                if (partiallyActive || !rsc.Is(ResourceFlags.Orphan))
                {
                    printFull = true;
                }
            }
            else if (showPending && child.PendingTask is not null && child.PendingTask != "probe")
            {
                printFull = true;
            }
            else if (!partiallyActive)
            {
                if (!child.Is(ResourceFlags.Orphan))
                {
                    stopped ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    stopped[child.Id] = "Stopped";
                }
            }
            else if (child.IsSetRecursive(ResourceFlags.Orphan, true) || !child.IsSetRecursive(ResourceFlags.Managed, false)
                     || child.IsSetRecursive(ResourceFlags.Failed, true))
            {
                printFull = true;
            }
            else if (child.Active(true))
            {
                var location = child.Location(null, 1);
                if (location is not null)
                {
                    var role = child.State(true);
                    if (!location.Details.Online && location.Details.Unclean)
                    {
                        printFull = true;
                    }
                    else if (role > Role.Unpromoted)
                    {
                        promoted.Add(location.Details);
                    }
                    else
                    {
                        started.Add(location.Details);
                    }
                }
                else
                {
                    printFull = true;
                }
            }
            else
            {
                printFull = true;
            }
            if (printFull)
            {
                CloneHeader(rsc, depth, ref printed);
                if (child.Variant == ResourceVariant.Primitive)
                {
                    var node = child.CurrentNode()?.Details ?? child.PendingNode;
                    Item(depth + 1, PrimitiveText(child, child.PrintableId(), node));
                }
                else
                {
                    PrintResource(child, depth + 1);
                }
            }
        }

        var promotedNames = GList.Sort(promoted, (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname)).Select(n => n.Uname).ToList();
        activeInstances += promotedNames.Count;
        if (promotedNames.Count > 0)
        {
            CloneHeader(rsc, depth, ref printed);
            Item(depth + 1, $"Promoted: [ {string.Join(' ', promotedNames)} ]");
        }
        var startedNames = GList.Sort(started, (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname)).Select(n => n.Uname).ToList();
        activeInstances += startedNames.Count;
        if (startedNames.Count > 0)
        {
            CloneHeader(rsc, depth, ref printed);
            if (rsc.Is(ResourceFlags.Promotable))
            {
                var label = ConfiguredRole(rsc) == Role.Unpromoted ? "Unpromoted (target-role)" : "Unpromoted";
                Item(depth + 1, $"{label}: [ {string.Join(' ', startedNames)} ]");
            }
            else
            {
                Item(depth + 1, $"Started: [ {string.Join(' ', startedNames)} ]");
            }
        }

        if (!rsc.Is(ResourceFlags.Unique) && rsc.Clone!.CloneMax > activeInstances)
        {
            stopped = null;
            IEnumerable<Node> candidates = rsc.AllowedNodes.Count > 0 ? rsc.AllowedNodes.Values : rsc.KnownOn.Values;
            foreach (var node in GList.Sort(candidates.ToList(), (a, b) => PcmkText.NumericCompare(a.Uname, b.Uname)))
            {
                if (rsc.RunningOn.Any(n => string.Equals(n.Uname, node.Uname, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                stopped ??= new Dictionary<string, string>(StringComparer.Ordinal);
                var probe = FailedProbe(rsc, node.Uname);
                stopped[node.Uname] = probe is not null
                    ? $"Stopped ({ExecStatus.OcfText(probe.Operation.RcCode ?? 0)})"
                    : ConfiguredRole(rsc) == Role.Stopped ? "Stopped (disabled)" : "Stopped";
            }
        }
        if (stopped is not null)
        {
            CloneHeader(rsc, depth, ref printed);
            foreach (var status in stopped.Values.Distinct().Order(StringComparer.Ordinal))
            {
                var names = stopped.Where(e => e.Value == status).Select(e => e.Key).ToList();
                names = GList.Sort(names, PcmkText.NumericCompare);
                if (names.Count > 0)
                {
                    Item(depth + 1, $"{status}: [ {string.Join(' ', names)} ]");
                }
            }
        }
        else if (activeInstances == 0)
        {
            CloneHeader(rsc, depth, ref printed);
        }
        return printed;
    }
}
