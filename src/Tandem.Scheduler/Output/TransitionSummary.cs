using Tandem.Model.Resources;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Output;

/// <summary>
/// The "Transition Summary" as crm_simulate prints it: fencing and shutdown of nodes, then one line per
/// resource change (Start, Stop, Move, Recover, Restart, Promote, Demote, Migrate, Reload, Re-promote)
/// with the reason when there is one.
/// </summary>
internal sealed class TransitionSummary(WorkingSet ws)
{
    // crm_simulate keeps these widths across all lines, growing them as longer names appear.
    private int _rscWidth = 5;
    private int _detailWidth = 5;
    private readonly List<string> _lines = [];

    public static IReadOnlyList<string> Lines(WorkingSet ws)
    {
        // crm_simulate logs the summary while scheduling, which sets the widths, then prints it with them.
        var summary = new TransitionSummary(ws);
        summary.Build();
        summary._lines.Clear();
        summary.Build();
        return summary._lines;
    }

    private void Build()
    {
        foreach (var action in ws.Actions)
        {
            if (action.Rsc is not null || action.Is(ActionFlags.Optional))
            {
                continue;
            }
            string task;
            if (action.Task == ActionFactory.Shutdown)
            {
                task = "Shutdown";
            }
            else if (action.Task == ActionFactory.Fence)
            {
                task = $"Fence ({action.Meta.GetValueOrDefault("stonith_action")})";
            }
            else
            {
                continue;
            }
            string? nodeName = null;
            if (action.Node is { } node)
            {
                nodeName = node.Details.IsGuest ? $"{node.Uname} (resource: {node.Details.RemoteRsc!.Container!.Id})" : node.Uname;
            }
            if (action.Reason is not null)
            {
                _lines.Add($"{task} {nodeName} '{action.Reason}'");
            }
        }
        foreach (var rsc in ws.Resources)
        {
            ResourceActions(rsc);
        }
    }

    private void ResourceActions(Resource rsc)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                ResourceActions(child);
            }
            return;
        }
        var next = rsc.AllocatedTo;
        Node? current = null;
        if (rsc.RunningOn.Count > 0)
        {
            current = rsc.CurrentNode();
            if (rsc.Role == Role.Stopped)
            {
                // Recovery may have left the current role at Stopped while the resource is still active.
                rsc.Role = Role.Started;
            }
        }
        if (current is null && rsc.Is(ResourceFlags.Orphan))
        {
            return;
        }
        ResourceAction(rsc, current, next);
    }

    private static SchedAction? First(Resource rsc, Node? node, string task)
    {
        var matches = ActionFactory.ResourceActions(rsc, node, task, requireNode: false);
        return matches.Count > 0 ? matches[0] : null;
    }

    /// <summary>The rsc-action message: which change this is, from the resource's key actions.</summary>
    private void ResourceAction(Resource rsc, Node? current, Node? next)
    {
        if (!rsc.Is(ResourceFlags.Managed) || (current is null && next is null))
        {
            return;
        }
        var moving = current is not null && next is not null && !current.SameAs(next);
        var start = First(rsc, next, ActionFactory.Start);
        var startNode = start is null || !start.Is(ActionFlags.Runnable) ? null : current;
        var stop = First(rsc, startNode, ActionFactory.Stop);
        if (stop is null && rsc.Is(ResourceFlags.StopUnexpected))
        {
            stop = First(rsc, null, ActionFactory.Stop);
        }
        var promote = First(rsc, next, ActionFactory.Promote);
        var demote = First(rsc, next, ActionFactory.Demote);

        if (rsc.Role == rsc.NextRole)
        {
            if (next is null)
            {
                return;
            }
            var migrate = First(rsc, next, ActionFactory.MigrateFrom);
            if (migrate is not null && current is not null && migrate.Is(ActionFlags.Runnable))
            {
                Item("Migrate", rsc, current, next, start, null);
            }
            else if (rsc.Is(ResourceFlags.Reload))
            {
                Item("Reload", rsc, current, next, start, null);
            }
            else if (start is null || start.Is(ActionFlags.Optional))
            {
                if (demote is not null && promote is not null && !demote.Is(ActionFlags.Optional) && !promote.Is(ActionFlags.Optional))
                {
                    Item("Re-promote", rsc, current, next, promote, demote);
                }
            }
            else if (!start.Is(ActionFlags.Runnable))
            {
                Item("Stop", rsc, current, null, stop, stop?.Reason is not null ? stop : start);
            }
            else if (moving && current is not null)
            {
                Item(rsc.Is(ResourceFlags.Failed) ? "Recover" : "Move", rsc, current, next, stop, null);
            }
            else if (rsc.Is(ResourceFlags.Failed))
            {
                Item("Recover", rsc, current, null, stop, null);
            }
            else
            {
                Item("Restart", rsc, current, next, start, null);
            }
            return;
        }

        if (stop is not null && (rsc.NextRole == Role.Stopped || (start is not null && !start.Is(ActionFlags.Runnable))))
        {
            var key = ActionFactory.StopKey(rsc);
            foreach (var node in rsc.RunningOn)
            {
                var matches = ActionFactory.FindActions(rsc.Actions, key, node);
                var stopOp = matches.Count > 0 ? matches[0] : null;
                Item("Stop", rsc, node, null, stopOp, stopOp?.Reason is not null ? stopOp : start);
            }
        }
        else if (stop is not null && rsc.Is(ResourceFlags.Failed | ResourceFlags.Stop))
        {
            Item("Recover", rsc, current, next, stop, start);
        }
        else if (moving)
        {
            Item("Move", rsc, current, next, stop, null);
        }
        else if (rsc.Is(ResourceFlags.Reload))
        {
            Item("Reload", rsc, current, next, start, null);
        }
        else if (stop is not null && !stop.Is(ActionFlags.Optional))
        {
            Item("Restart", rsc, current, next, start, null);
        }
        else if (rsc.Role == Role.Promoted)
        {
            Item("Demote", rsc, current, next, demote, null);
        }
        else if (rsc.NextRole == Role.Promoted)
        {
            Item("Promote", rsc, current, next, promote, null);
        }
        else if (rsc.Role == Role.Stopped && rsc.NextRole > Role.Stopped)
        {
            Item("Start", rsc, current, next, start, null);
        }
    }

    /// <summary>The rsc-action-item line: "change  rsc  ( details )  due to reason".</summary>
    private void Item(string change, Resource rsc, Node? origin, Node? destination, SchedAction? action, SchedAction? source)
    {
        if (action is null || (origin is null && destination is null))
        {
            // Pacemaker asserts here; such a line cannot be printed.
            return;
        }
        source ??= action;
        if (rsc.Id.Length > _rscWidth)
        {
            _rscWidth = rsc.Id.Length + 2;
        }
        var needRole = rsc.Role > Role.Started || rsc.NextRole > Role.Unpromoted;
        var sameHost = origin is not null && destination is not null && origin.SameAs(destination);
        var sameRole = rsc.Role == rsc.NextRole;
        var role = RoleText(rsc.Role);
        var nextRole = RoleText(rsc.NextRole);
        string details;
        if (needRole && origin is null)
        {
            details = $"{role} -> {nextRole} {destination!.Uname}";
        }
        else if (origin is null)
        {
            details = destination!.Uname;
        }
        else if (needRole && destination is null)
        {
            details = $"{role} {origin.Uname}";
        }
        else if (destination is null)
        {
            details = origin.Uname;
        }
        else if (needRole && sameRole && sameHost)
        {
            details = $"{role} {origin.Uname}";
        }
        else if (sameRole && sameHost)
        {
            details = origin.Uname;
        }
        else if (needRole && sameRole)
        {
            details = $"{origin.Uname} -> {destination.Uname} {role}";
        }
        else if (sameRole)
        {
            details = $"{origin.Uname} -> {destination.Uname}";
        }
        else if (sameHost)
        {
            details = $"{role} -> {nextRole} {origin.Uname}";
        }
        else
        {
            details = $"{role} {origin.Uname} -> {nextRole} {destination.Uname}";
        }
        if (details.Length > _detailWidth)
        {
            _detailWidth = details.Length;
        }
        string? reason = null;
        if (source.Reason is not null && !action.Is(ActionFlags.Runnable))
        {
            reason = $"due to {source.Reason} (blocked)";
        }
        else if (source.Reason is not null)
        {
            reason = $"due to {source.Reason}";
        }
        else if (!action.Is(ActionFlags.Runnable))
        {
            reason = "blocked";
        }
        var line = $"{change,-8}   {rsc.Id.PadRight(_rscWidth)}   ( {details.PadLeft(_detailWidth)} )";
        if (reason is not null)
        {
            line += "  " + reason;
        }
        _lines.Add(line);
    }

    public static string RoleText(Role role) => role switch
    {
        Role.Stopped => "Stopped",
        Role.Started => "Started",
        Role.Unpromoted => "Unpromoted",
        Role.Promoted => "Promoted",
        _ => "Unknown",
    };
}
