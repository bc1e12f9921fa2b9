using System.Globalization;
using Tandem.Model.Status;
using Tandem.Scheduler.Graph;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Output;

/// <summary>
/// Simulates running a transition graph as crm_simulate does: repeatedly fires every synapse whose inputs
/// are all confirmed (each action succeeds with its expected result), records each resource action as
/// history in the status and takes fenced nodes down, so the revised status can be computed.
/// </summary>
internal sealed class TransitionExecutor(WorkingSet ws, StatusSection status, long now)
{
    // The coordinator id Pacemaker writes into simulated results; pending operations compare against it.
    private const string FakeCoordinator = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    private readonly List<NodeState> _nodes = [.. status.Nodes];
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public StatusSection Status => new(_nodes, status.Tickets);

    public void Run(TransitionGraph graph)
    {
        var confirmed = new HashSet<int>();
        var executed = new bool[graph.Synapses.Count];
        bool fired;
        do
        {
            fired = false;
            for (var i = 0; i < graph.Synapses.Count; i++)
            {
                var synapse = graph.Synapses[i];
                if (executed[i] || !synapse.Inputs.All(input => confirmed.Contains(input.Id)))
                {
                    continue;
                }
                executed[i] = true;
                fired = true;
                Execute(synapse.Action);
                confirmed.Add(synapse.Action.Id);
            }
        }
        while (fired);
    }

    private void Execute(GraphAction action)
    {
        switch (action.Kind)
        {
            case GraphActionKind.Pseudo:
                _lines.Add($"Pseudo action:   {action.Key}{(action.NodeName is null ? "" : " on " + action.NodeName)}");
                break;
            case GraphActionKind.ClusterEvent when action.Task == Actions.ActionFactory.Fence:
                Fence(action);
                break;
            case GraphActionKind.ClusterEvent:
                _lines.Add(action.ResourceId is not null
                    ? $"Cluster action:  {action.Task} for {action.ResourceId} on {action.NodeName}"
                    : $"Cluster action:  {action.Task} on {action.NodeName}");
                break;
            default:
                ResourceAction(action);
                break;
        }
    }

    private void Fence(GraphAction action)
    {
        var op = action.Attribute("CRM_meta_stonith_action");
        var target = action.NodeName!;
        _lines.Add($"Fencing {target} ({op})");
        if (string.Equals(op, "on", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var index = FindOrAddNode(target, null);
        _nodes[index] = _nodes[index] with
        {
            InCcm = "false",
            Crmd = "offline",
            Join = "down",
            Expected = "down",
            Resources = [],
            HasResourceHistory = false,
            TransientAttributes = [],
        };
    }

    private int FindOrAddNode(string uname, string? uuid)
    {
        var index = _nodes.FindIndex(n => n.Uname == uname);
        if (index >= 0)
        {
            return index;
        }
        var id = uuid ?? ws.Nodes.FirstOrDefault(n => n.Uname == uname)?.Id ?? uname;
        _nodes.Add(new NodeState { Id = id, Uname = uname, TransientAttributes = [], Resources = [] });
        return _nodes.Count - 1;
    }

    /// <summary>The only history entry with this id; like an XPath lookup, several matches count as none.</summary>
    private static int UniqueIndex(List<ResourceHistory> resources, string id)
    {
        var index = resources.FindIndex(r => r.Id == id);
        return index >= 0 && resources.FindIndex(index + 1, r => r.Id == id) >= 0 ? -1 : index;
    }

    private void ResourceAction(GraphAction action)
    {
        if (action.Task == Actions.ActionFactory.Reprobe || action.ResourceId is null)
        {
            // Re-probe requests leave no history; nothing else runs without a resource.
            return;
        }
        var node = action.NodeName!;
        var configName = action.ResourceId!;
        var resource = configName;
        if (ws.ResourceNames.First(resource) is null && action.ResourceLongId is { } longName
            && ws.ResourceNames.First(longName) is not null)
        {
            resource = longName;
        }
        var operation = action.Task;
        var intervalMs = (uint)(StatusXmlReader.ParseLong(action.Attribute("CRM_meta_interval")) ?? 0);
        if (operation is "delete" or "meta-data")
        {
            _lines.Add(string.Create(CultureInfo.InvariantCulture, $"Resource action: {resource,-15} {operation} on {node}"));
            return;
        }
        var targetRc = (int)Math.Max(0, StatusXmlReader.ParseLong(action.Attribute("CRM_meta_op_target_rc")) ?? 0);
        var nodeIndex = FindOrAddNode(node, action.NodeId);
        var state = _nodes[nodeIndex];
        var resources = state.Resources.ToList();
        var historyIndex = UniqueIndex(resources, resource);
        if (historyIndex < 0 && resource != configName)
        {
            historyIndex = UniqueIndex(resources, configName);
        }
        if (historyIndex < 0)
        {
            resources.Add(new ResourceHistory
            {
                Id = configName,
                Class = action.ResourceClass,
                Provider = action.ResourceProvider,
                Type = action.ResourceType,
                Operations = [],
            });
            historyIndex = resources.Count - 1;
        }
        _lines.Add(intervalMs > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Resource action: {resource,-15} {operation}={intervalMs} on {node}")
            : string.Create(CultureInfo.InvariantCulture, $"Resource action: {resource,-15} {operation} on {node}"));

        var history = resources[historyIndex];
        var callId = history.Operations.Select(o => o.CallId ?? 0).Append(0).Max() + 1;
        var task = operation is "reload" or "reload-agent" ? "start" : operation;
        var rscId = configName;
        var key = Common.OpKeys.Key(rscId, task, intervalMs);
        string opId;
        if (task == "notify")
        {
            opId = Common.OpKeys.NotifyKey(rscId, action.Attribute("CRM_meta_notify_type") ?? "", action.Attribute("CRM_meta_notify_operation") ?? "");
        }
        else if (task is "migrate_to" or "migrate_from" || intervalMs > 0)
        {
            opId = key;
        }
        else
        {
            opId = Common.OpKeys.Key(rscId, "last", 0);
        }
        var transitionKey = new TransitionKey(callId, -1, targetRc, FakeCoordinator);
        var record = new OperationRecord
        {
            Id = opId,
            Operation = task,
            OperationKey = key,
            IntervalMs = intervalMs,
            CallId = callId,
            RcCode = targetRc,
            OpStatus = 0,
            LastRcChange = now,
            LastRun = now,
            ExecTimeMs = 0,
            QueueTimeMs = 0,
            TransitionKey = transitionKey,
            TransitionMagic = $"0:{targetRc};{transitionKey}",
            MigrateSource = task is "migrate_to" or "migrate_from" ? action.Attribute("CRM_meta_migrate_source") : null,
            MigrateTarget = task is "migrate_to" or "migrate_from" ? action.Attribute("CRM_meta_migrate_target") : null,
            CrmFeatureSet = "3.16.1",
        };
        var operations = history.Operations.ToList();
        var existing = operations.FindIndex(o => o.Id == opId);
        if (existing >= 0)
        {
            operations[existing] = record;
        }
        else
        {
            operations.Add(record);
        }
        resources[historyIndex] = history with { Operations = operations };
        _nodes[nodeIndex] = state with { Resources = resources, HasResourceHistory = true };
    }
}
