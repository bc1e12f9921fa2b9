using Tandem.Model;
using Tandem.Model.Cluster;
using Tandem.Model.Resources;
using Tandem.Node.Status;

namespace Tandem.Node.Fencing;

/// <summary>
/// Which resources a node's own history says may still be active there, for self-fencing: the newest
/// operation of each resource decides (a successful stop or a monitor that found it stopped: inactive;
/// anything else, failures included: possibly active). Fence devices do not count: they hold nothing.
/// Pure.
/// </summary>
public static class LocalActivity
{
    /// <summary>
    /// The resources that must be gone before a node without quorum may be considered fenced by its
    /// own hand: all active ones, or under no-quorum-policy=demote only promoted instances and resources
    /// that are not clone instances (demote keeps unpromoted instances running, as Pacemaker's does).
    /// </summary>
    public static IReadOnlyList<string> MustStop(NodeStatus status, ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(configuration);
        var demote = configuration.Options.NoQuorumPolicy == NoQuorumPolicy.Demote;
        var result = new List<string>();
        foreach (var resource in status.Resources.Values.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (resource.Class == ResourceAgent.StonithClass || State(resource) is not { } state)
            {
                continue;
            }
            if (!demote || state == Activity.Promoted || !IsCloneInstance(configuration, resource.Id))
            {
                result.Add(resource.Id);
            }
        }
        return result;
    }

    private enum Activity
    {
        Active,
        Promoted,
    }

    private static Activity? State(ResourceStatus resource)
    {
        foreach (var record in resource.History.Values.OrderByDescending(r => r.CallId ?? -1))
        {
            var ok = record.OpStatus == 0;
            switch (record.Operation)
            {
                case "stop" when ok && record.RcCode == 0:
                    return null;
                case "monitor" when ok && record.RcCode == 7:
                    return null;
                case "monitor" when ok && record.RcCode is 8:
                    return Activity.Promoted;
                case "promote" when ok && record.RcCode == 0:
                    return Activity.Promoted;
                case "monitor" or "start" or "stop" or "promote" or "demote" or "migrate_to" or "migrate_from":
                    // A failure leaves the resource in an unknown state: count it as active.
                    return ok || record.Operation != "promote" ? Activity.Active : Activity.Promoted;
            }
        }
        return null;
    }

    private static bool IsCloneInstance(ClusterConfiguration configuration, string historyId)
    {
        var id = historyId.Split(':')[0];
        for (var parent = configuration.ParentOf(id); parent is not null; parent = configuration.ParentOf(parent.Id))
        {
            if (parent is Clone)
            {
                return true;
            }
        }
        return false;
    }
}
