using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Resources;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;
using ModelNodeType = Tandem.Model.Cluster.NodeType;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Turns a snapshot into a working set: cluster options, nodes, resources (with their meta attributes,
/// flags and clone instances), tags; then the status; then the resource counts (cluster_status).
/// </summary>
internal sealed class ConfigUnpacker(WorkingSet ws, ClusterConfiguration config)
{
    public static WorkingSet Unpack(ClusterSnapshot snapshot)
    {
        var ws = new WorkingSet
        {
            Now = snapshot.Now.ToUnixTimeSeconds(),
            DcUuid = snapshot.DcUuid,
            FeatureSet = snapshot.FeatureSet,
            Status = snapshot.Status,
        };
        if (snapshot.HaveQuorum)
        {
            ws.Set(ClusterFlags.HaveQuorum);
        }
        if (snapshot.Simulation)
        {
            ws.Set(ClusterFlags.Sanitized);
        }
        var unpacker = new ConfigUnpacker(ws, snapshot.Configuration);
        unpacker.UnpackOptions(snapshot.QuorumPanic);
        unpacker.UnpackNodes();
        var resources = new ResourceUnpacker(ws, snapshot.Configuration);
        resources.UnpackAll();
        unpacker.UnpackTags(resources);
        var status = new StatusUnpacker(ws);
        status.Unpack();
        ws.ExpiredFailureOps = status.RescheduleExpired;
        foreach (var rsc in ws.Resources)
        {
            Count(ws, rsc);
        }
        return ws;
    }

    private RuleContext NowContext => new() { Now = ws.Now };

    private void UnpackOptions(bool quorumPanic)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        NvSets.Apply(options, RuleEvaluator.Blocks(config.Properties, NowContext), overwrite: false, ClusterOptions.BootstrapSetId);
        ClusterOptions.ApplyDefaults(options);
        ws.Options = options;
        var metaSets = config.AllResources.SelectMany(r => r.Meta)
            .Concat(config.Templates.SelectMany(t => t.Meta))
            .Concat(config.ResourceDefaults);
        if (metaSets.SelectMany(s => s.Pairs).Any(IsUnfencingPair))
        {
            ws.Set(ClusterFlags.EnableUnfencing);
        }
        ClusterOptions.Apply(ws, options, quorumPanic);
        ws.OpDefaults = OpDefaultsFor(config, ws.Now);
    }

    /// <summary>
    /// op_defaults meta attributes for an action: rules may match the resource agent and the operation,
    /// so the result is computed per agent, task and interval (and remembered).
    /// </summary>
    private static Func<Resource, string, uint, IReadOnlyDictionary<string, string>> OpDefaultsFor(ClusterConfiguration config, long now)
    {
        var sets = config.OperationDefaults;
        var cache = new Dictionary<(string?, string?, string?, string, uint), IReadOnlyDictionary<string, string>>();
        return (rsc, task, intervalMs) =>
        {
            var definition = rsc.Definition;
            var key = (definition.Class, definition.Provider, definition.Type, task, intervalMs);
            if (!cache.TryGetValue(key, out var values))
            {
                var table = new Dictionary<string, string>(StringComparer.Ordinal);
                var context = new RuleContext
                {
                    Now = now,
                    HasRscData = true,
                    RscClass = definition.Class,
                    RscProvider = definition.Provider,
                    RscType = definition.Type,
                    HasOpData = true,
                    OpName = task,
                    OpIntervalMs = intervalMs,
                };
                NvSets.Apply(table, RuleEvaluator.Blocks(sets, context), overwrite: false);
                values = table;
                cache[key] = values;
            }
            return values;
        };
    }

    // Unfencing is enabled by any meta attribute provides=unfencing or requires=unfencing.
    private static bool IsUnfencingPair(NvPair pair) => pair.Name is "provides" or "requires" && pair.Value == "unfencing";

    private void UnpackNodes()
    {
        foreach (var configured in config.Nodes)
        {
            var type = configured.Type switch
            {
                ModelNodeType.Remote => NodeType.Remote,
                ModelNodeType.Ping => NodeType.Ping,
                _ => NodeType.Member,
            };
            var details = new NodeDetails(configured.Id, configured.Uname, type);
            details.Attrs["#kind"] = type == NodeType.Remote ? "remote" : "cluster";
            if (type == NodeType.Remote)
            {
                ws.Set(ClusterFlags.HaveRemoteNodes);
            }
            var node = new Node(details) { Weight = configured.Score?.Value ?? 0 };
            InsertSorted(ws.Nodes, node);
            if (type != NodeType.Remote)
            {
                // Until its status entry is seen, a node is assumed to need fencing (when startup fencing is on).
                details.Unclean = ws.Is(ClusterFlags.StartupFencing);
                details.Unseen = true;
            }
            NodeAttributes.Add(ws, details, RuleEvaluator.Blocks(configured.Attributes, NowContext), overwrite: false);
            NvSets.Apply(details.Utilization, RuleEvaluator.Blocks(configured.Utilization, NowContext), overwrite: false);
        }
    }

    /// <summary>Adds a node before the first one whose name sorts after it (g_list_insert_sorted).</summary>
    internal static void InsertSorted(List<Node> nodes, Node node)
    {
        var index = 0;
        while (index < nodes.Count && PcmkText.NumericCompare(node.Uname, nodes[index].Uname) > 0)
        {
            index++;
        }
        nodes.Insert(index, node);
    }

    private void UnpackTags(ResourceUnpacker resources)
    {
        foreach (var tag in config.Tags)
        {
            ws.Tags[tag.Id] = [.. tag.References];
        }
        foreach (var (template, users) in resources.TemplateUsers)
        {
            ws.TemplateReferences[template] = users;
        }
    }

    /// <summary>Counts instances, disabled and blocked resources (the resource "count" methods).</summary>
    private static void Count(WorkingSet ws, Resource rsc)
    {
        if (rsc.Children.Count > 0)
        {
            foreach (var child in rsc.Children)
            {
                Count(ws, child);
            }
            return;
        }
        if (!rsc.Is(ResourceFlags.Orphan) || rsc.Role > Role.Stopped)
        {
            ws.InstanceCount++;
            if (rsc.Is(ResourceFlags.Block))
            {
                ws.BlockedResources++;
            }
            if (IsDisabled(rsc))
            {
                ws.DisabledResources++;
            }
        }
    }

    private static bool IsDisabled(Resource rsc)
    {
        var role = ParseRole(rsc.Meta.GetValueOrDefault("target-role"));
        return role == Role.Stopped || (role == Role.Unpromoted && rsc.Top.Is(ResourceFlags.Promotable));
    }

    /// <summary>
    /// The role target-role asks for, when it asks for something other than the default: "Started"
    /// (or "default") means no limit, Promoted on a promotable clone is the default too (get_target_role).
    /// </summary>
    public static bool TryGetTargetRole(Resource rsc, out Role role)
    {
        role = Role.Unknown;
        var value = rsc.Meta.GetValueOrDefault("target-role");
        if (value is null || value.Equals("started", StringComparison.OrdinalIgnoreCase)
            || value.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var parsed = ParseRole(value);
        if (parsed == Role.Unknown)
        {
            return false;
        }
        if (parsed > Role.Started)
        {
            if (!rsc.Top.Is(ResourceFlags.Promotable) || parsed > Role.Unpromoted)
            {
                return false;
            }
        }
        role = parsed;
        return true;
    }

    /// <summary>text2role: exact (case-insensitive) role names, old and new.</summary>
    public static Role ParseRole(string? text) => text?.ToLowerInvariant() switch
    {
        "stopped" => Role.Stopped,
        "started" => Role.Started,
        "unpromoted" or "slave" => Role.Unpromoted,
        "promoted" or "master" => Role.Promoted,
        _ => Role.Unknown,
    };

    /// <summary>The meta and instance attribute blocks of a set list, for <see cref="NvSets"/>.</summary>
    internal static IEnumerable<NvSets.Block> Blocks(IEnumerable<AttributeSet> sets, RuleContext context) =>
        RuleEvaluator.Blocks(sets, context);
}
