using System.Globalization;
using Tandem.Model;
using Tandem.Model.Resources;
using Tandem.Model.Status;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Placement;
using Tandem.Scheduler.Working;
using ModelResource = Tandem.Model.Resources.Resource;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Builds the working-set resources from the configured ones: meta attributes merged the way Pacemaker
/// merges them (own, ancestors', rsc_defaults, parent's), flags, stickiness, thresholds, the operations,
/// per-node instance parameters, group members and numbered clone instances (pe__unpack_resource).
/// </summary>
internal sealed class ResourceUnpacker(WorkingSet ws, ClusterConfiguration config)
{
    private readonly Dictionary<Resource, ModelResource> _models = [];

    /// <summary>Template id to the ids of the primitives built from it.</summary>
    public Dictionary<string, List<string>> TemplateUsers { get; } = new(StringComparer.Ordinal);

    public void UnpackAll()
    {
        foreach (var template in config.Templates)
        {
            TemplateUsers.TryAdd(template.Id, []);
        }
        foreach (var model in config.Resources)
        {
            if (model is Bundle)
            {
                // Bundles (containerized resources) are not supported; they are left out entirely.
                continue;
            }
            var rsc = Unpack(model, null, null, null);
            if (rsc is not null)
            {
                ws.Resources.Add(rsc);
                ws.ResourceNames.NoteTree(rsc);
            }
        }
        var sorted = GList.Sort(ws.Resources, (a, b) => b.Priority.CompareTo(a.Priority));
        ws.Resources.Clear();
        ws.Resources.AddRange(sorted);
        ws.CreateOrphan = CreateOrphan;
    }

    /// <summary>A resource for history whose resource is no longer configured (process_orphan_resource).</summary>
    private Resource? CreateOrphan(ResourceHistory history)
    {
        var model = new Primitive(history.Id, new ResourceAgent(history.Class ?? "", history.Provider, history.Type ?? ""));
        var extra = history.Container is null ? null : new Dictionary<string, string> { ["container"] = history.Container };
        return Unpack(model, null, null, extra);
    }

    private Resource? Unpack(ModelResource model, Resource? parent, string? instance, IReadOnlyDictionary<string, string>? extraAttributes)
    {
        Primitive? primitive = null;
        if (model is Primitive p)
        {
            primitive = config.Expand(p);
            if (primitive.Agent is null || (p.Template is not null && config.FindTemplate(p.Template) is null))
            {
                return null;
            }
        }
        var variant = model switch
        {
            Primitive => ResourceVariant.Primitive,
            Group => ResourceVariant.Group,
            Clone => ResourceVariant.Clone,
            _ => ResourceVariant.Bundle,
        };
        var id = instance is null ? model.Id : $"{model.Id}:{instance}";
        var rsc = new Resource(id, variant, ws) { XmlId = model.Id, Parent = parent };
        _models[rsc] = (ModelResource?)primitive ?? model;
        var agent = primitive?.Agent;
        rsc.Definition = new ResourceDefinition
        {
            Element = variant switch
            {
                ResourceVariant.Primitive => "primitive",
                ResourceVariant.Group => "group",
                ResourceVariant.Clone => "clone",
                _ => "bundle",
            },
            Class = agent?.Class,
            Provider = agent?.Provider,
            Type = agent?.Type,
            Description = model.Description,
            Operations = primitive is null ? [] : UnpackOperations(rsc, primitive),
            Parameters = ParametersFor(rsc),
        };

        UnpackMeta(rsc, model, instance, extraAttributes);
        UnpackCommon(rsc, primitive);

        var ok = model switch
        {
            Primitive => UnpackPrimitive(rsc),
            Group group => UnpackGroup(rsc, group, instance),
            Clone clone => UnpackClone(rsc, clone),
            _ => false,
        };
        if (!ok)
        {
            return null;
        }
        if (ws.Is(ClusterFlags.SymmetricCluster))
        {
            NodeScores.ResourceLocation(rsc, null, 0, NodeScores.SymmetricDefault);
        }
        if (primitive is not null)
        {
            NvSets.Apply(rsc.Utilization, RuleEvaluator.Blocks(primitive.Utilization, new RuleContext { Now = ws.Now }), overwrite: false);
            if (model is Primitive { Template: { } template } && TemplateUsers.TryGetValue(template, out var users) && !users.Contains(model.Id))
            {
                users.Add(model.Id);
            }
        }
        return rsc;
    }

    private RuleContext MetaContext(Resource rsc) => new()
    {
        Now = ws.Now,
        HasRscData = true,
        RscClass = rsc.Definition.Class,
        RscProvider = rsc.Definition.Provider,
        RscType = rsc.Definition.Type,
    };

    /// <summary>get_meta_attributes: XML attributes, own sets, ancestors' sets, rsc_defaults, then the parent's table.</summary>
    private void UnpackMeta(Resource rsc, ModelResource model, string? instance, IReadOnlyDictionary<string, string>? extraAttributes)
    {
        var meta = rsc.Meta;
        if (instance is not null)
        {
            meta.TryAdd("clone", instance);
        }
        meta.TryAdd("id", model.Id);
        if (rsc.Definition.Class is { } cls)
        {
            meta.TryAdd("class", cls);
        }
        if (rsc.Definition.Provider is { } provider)
        {
            meta.TryAdd("provider", provider);
        }
        if (rsc.Definition.Type is { } type)
        {
            meta.TryAdd("type", type);
        }
        if (model.Description is { } description)
        {
            meta.TryAdd("description", description);
        }
        if (extraAttributes is not null)
        {
            foreach (var (name, value) in extraAttributes)
            {
                meta.TryAdd(name, value);
            }
        }
        var context = MetaContext(rsc);
        NvSets.Apply(meta, RuleEvaluator.Blocks(_models[rsc].Meta, context), overwrite: false);
        if (rsc.Parent is not null)
        {
            var inherited = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var ancestor = rsc.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                NvSets.Apply(inherited, RuleEvaluator.Blocks(_models[ancestor].Meta, context), overwrite: false);
            }
            foreach (var (name, value) in inherited)
            {
                meta.TryAdd(name, value);
            }
        }
        NvSets.Apply(meta, RuleEvaluator.Blocks(config.ResourceDefaults, context), overwrite: false);
        if (rsc.Parent is not null)
        {
            foreach (var (name, value) in rsc.Parent.Meta)
            {
                meta.TryAdd(name, value);
            }
        }
    }

    /// <summary>The flags and settings every kind of resource has (the common part of pe__unpack_resource).</summary>
    private void UnpackCommon(Resource rsc, Primitive? primitive)
    {
        var meta = rsc.Meta;
        rsc.Set(ResourceFlags.Runnable | ResourceFlags.Provisional);
        if (!ws.Is(ClusterFlags.MaintenanceMode))
        {
            rsc.Set(ResourceFlags.Managed);
        }
        rsc.Role = Role.Stopped;
        rsc.NextRole = Role.Unknown;
        rsc.Priority = ParseScore(meta.GetValueOrDefault("priority"));
        var critical = meta.GetValueOrDefault("critical");
        if (critical is null || PcmkText.IsTrue(critical))
        {
            rsc.Set(ResourceFlags.Critical);
        }
        if (PcmkText.IsTrue(meta.GetValueOrDefault("notify")))
        {
            rsc.Set(ResourceFlags.Notify);
        }
        var remoteConnection = primitive is not null && IsRemoteConnection(rsc);
        var guestConnection = remoteConnection && meta.ContainsKey("container");
        if (remoteConnection)
        {
            rsc.IsRemoteNode = true;
        }
        var allowMigrate = meta.GetValueOrDefault("allow-migrate");
        if (PcmkText.IsTrue(allowMigrate) || (allowMigrate is null && remoteConnection && !guestConnection))
        {
            rsc.Set(ResourceFlags.AllowMigrate);
        }
        var managed = meta.GetValueOrDefault("is-managed");
        if (managed is not null && !managed.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            if (PcmkText.IsTrue(managed))
            {
                rsc.Set(ResourceFlags.Managed);
            }
            else
            {
                rsc.Clear(ResourceFlags.Managed);
            }
        }
        if (PcmkText.IsTrue(meta.GetValueOrDefault("maintenance")) || ws.Is(ClusterFlags.MaintenanceMode))
        {
            rsc.Clear(ResourceFlags.Managed);
            rsc.Set(ResourceFlags.Maintenance);
        }
        if (rsc.Top.IsClone)
        {
            if (PcmkText.IsTrue(meta.GetValueOrDefault("globally-unique")))
            {
                rsc.Set(ResourceFlags.Unique);
            }
            if (PcmkText.IsTrue(meta.GetValueOrDefault("promotable")))
            {
                rsc.Set(ResourceFlags.Promotable);
            }
        }
        else
        {
            rsc.Set(ResourceFlags.Unique);
        }
        rsc.RestartTypeRestart = string.Equals(meta.GetValueOrDefault("restart-type"), "restart", StringComparison.OrdinalIgnoreCase);
        rsc.RecoveryType = meta.GetValueOrDefault("multiple-active")?.ToLowerInvariant() switch
        {
            "stop_only" => RecoveryType.StopOnly,
            "block" => RecoveryType.Block,
            "stop_unexpected" => RecoveryType.StopUnexpected,
            _ => RecoveryType.StopStart,
        };
        var stickiness = meta.GetValueOrDefault("resource-stickiness");
        if (stickiness is not null && !stickiness.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            rsc.Stickiness = ParseScore(stickiness);
        }
        var threshold = meta.GetValueOrDefault("migration-threshold");
        if (threshold is not null && !threshold.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            rsc.MigrationThreshold = ParseScore(threshold);
            if (rsc.MigrationThreshold < 0)
            {
                // A negative threshold has always meant 1.
                rsc.MigrationThreshold = 1;
            }
        }
        if (string.Equals(rsc.Definition.Class, "stonith", StringComparison.OrdinalIgnoreCase))
        {
            ws.Set(ClusterFlags.HaveStonithResource);
            rsc.Set(ResourceFlags.FenceDevice);
        }
        UnpackRequires(rsc, meta.GetValueOrDefault("requires"), remoteConnection);
        if (meta.GetValueOrDefault("failure-timeout") is { } failureTimeout)
        {
            rsc.FailureTimeout = (int)(PcmkText.ParseIntervalMs(failureTimeout) / 1000);
        }
        if (remoteConnection && !guestConnection
            && rsc.Definition.Parameters(null).TryGetValue("reconnect_interval", out var reconnect))
        {
            rsc.RemoteReconnectMs = PcmkText.ParseIntervalMs(reconnect);
            rsc.FailureTimeout = (int)(rsc.RemoteReconnectMs / 1000);
        }
        if (ConfigUnpacker.TryGetTargetRole(rsc, out var target))
        {
            rsc.NextRole = target;
        }
    }

    private static bool IsRemoteConnection(Resource rsc) =>
        string.Equals(rsc.Definition.Type, "remote", StringComparison.OrdinalIgnoreCase)
        && string.Equals(rsc.Definition.Class, "ocf", StringComparison.OrdinalIgnoreCase)
        && string.Equals(rsc.Definition.Provider, "pacemaker", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a resource needs before it may start: nothing, quorum, fencing or unfencing (unpack_requires).</summary>
    private void UnpackRequires(Resource rsc, string? value, bool remoteConnection)
    {
        switch (value?.ToLowerInvariant())
        {
            case "nothing":
                return;
            case "quorum":
                rsc.Set(ResourceFlags.NeedsQuorum);
                return;
            case "fencing":
                rsc.Set(ResourceFlags.NeedsFencing);
                return;
            case "unfencing":
                if (rsc.Is(ResourceFlags.FenceDevice) || !ws.Is(ClusterFlags.StonithEnabled))
                {
                    rsc.Set(ResourceFlags.NeedsQuorum);
                }
                else
                {
                    rsc.Set(ResourceFlags.NeedsFencing | ResourceFlags.NeedsUnfencing);
                }
                return;
        }
        string fallback;
        if (rsc.Is(ResourceFlags.FenceDevice) || (rsc.Variant == ResourceVariant.Primitive && remoteConnection))
        {
            fallback = "quorum";
        }
        else if (ws.Is(ClusterFlags.EnableUnfencing))
        {
            fallback = "unfencing";
        }
        else if (ws.Is(ClusterFlags.StonithEnabled))
        {
            fallback = "fencing";
        }
        else if (ws.NoQuorumPolicy == NoQuorumPolicy.Ignore)
        {
            fallback = "nothing";
        }
        else
        {
            fallback = "quorum";
        }
        UnpackRequires(rsc, fallback, remoteConnection);
    }

    /// <summary>native_unpack: only some agent classes can be unique or promotable clones.</summary>
    private bool UnpackPrimitive(Resource rsc)
    {
        var top = rsc.Top;
        var cls = rsc.Definition.Class?.ToLowerInvariant();
        var canBeUnique = cls is "ocf" or "stonith";
        var canBePromotable = cls == "ocf";
        if (!canBeUnique && rsc.Is(ResourceFlags.Unique) && top.IsClone)
        {
            top.Clone!.CloneNodeMax = 1;
            top.Clone.CloneMax = Math.Min(top.Clone.CloneMax, ws.Nodes.Count);
            ClearUnique(top);
            ClearUnique(rsc);
        }
        return canBePromotable || !top.Is(ResourceFlags.Promotable);
    }

    private static void ClearUnique(Resource rsc)
    {
        rsc.Clear(ResourceFlags.Unique);
        rsc.Meta.TryAdd("globally-unique", "false");
        foreach (var child in rsc.Children)
        {
            ClearUnique(child);
        }
    }

    private bool UnpackGroup(Resource rsc, Group group, string? instance)
    {
        rsc.Group = new GroupData
        {
            Ordered = GroupFlag(rsc, "ordered"),
            Colocated = GroupFlag(rsc, "collocated"),
        };
        foreach (var member in group.Members)
        {
            var child = Unpack(member, rsc, instance, null);
            if (child is not null)
            {
                rsc.Children.Add(child);
            }
        }
        return true;
    }

    // Group flags default to true; only a valid false turns them off.
    private static bool GroupFlag(Resource rsc, string name) =>
        !(rsc.Meta.TryGetValue(name, out var value) && PcmkText.TryParseBool(value, out var flag) && !flag);

    private bool UnpackClone(Resource rsc, Clone clone)
    {
        var meta = rsc.Meta;
        var data = new CloneData
        {
            ChildId = clone.Child.Id,
            CreateInstance = parent => CreateInstance(parent, clone.Child),
            CloneNodeMax = MinInt(meta.GetValueOrDefault("clone-node-max"), 1),
            CloneMax = MinInt(meta.GetValueOrDefault("clone-max"), Math.Max(1, ws.Nodes.Count)),
            Ordered = PcmkText.IsTrue(meta.GetValueOrDefault("ordered")),
        };
        if (rsc.Is(ResourceFlags.Promotable))
        {
            data.PromotedMax = MinInt(meta.GetValueOrDefault("promoted-max") ?? meta.GetValueOrDefault("master-max"), 1);
            data.PromotedNodeMax = MinInt(meta.GetValueOrDefault("promoted-node-max") ?? meta.GetValueOrDefault("master-node-max"), 1);
        }
        rsc.Clone = data;
        if (!rsc.Is(ResourceFlags.Unique) && data.CloneNodeMax > 1)
        {
            // Anonymous clones can run only one instance per node.
            data.CloneNodeMax = 1;
        }
        // Clones are slightly sticky by default so instances do not shuffle around for no benefit.
        meta.TryAdd("resource-stickiness", "1");
        meta.TryAdd("globally-unique", rsc.Is(ResourceFlags.Unique) ? "true" : "false");
        if (data.CloneMax <= 0)
        {
            // One instance anyway, so that orphaned history still finds its parent.
            return CreateInstance(rsc, clone.Child) is not null;
        }
        for (var i = 0; i < data.CloneMax; i++)
        {
            if (CreateInstance(rsc, clone.Child) is null)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The next numbered instance of a clone (pe__create_clone_child); beyond clone-max it is an orphan.</summary>
    private Resource CreateInstance(Resource clone, ModelResource child)
    {
        var data = clone.Clone!;
        var asOrphan = data.TotalClones >= data.CloneMax;
        var number = data.TotalClones.ToString(CultureInfo.InvariantCulture);
        var instance = Unpack(child, clone, number, null)
                       ?? throw new InvalidOperationException($"clone instance {child.Id}:{number} could not be created");
        data.TotalClones++;
        clone.Children.Add(instance);
        ws.ResourceNames.NoteTree(instance);
        if (asOrphan)
        {
            SetRecursive(instance, ResourceFlags.Orphan);
        }
        instance.Meta.TryAdd("clone-max", data.CloneMax.ToString(CultureInfo.InvariantCulture));
        return instance;
    }

    private static void SetRecursive(Resource rsc, ResourceFlags flag)
    {
        rsc.Set(flag);
        foreach (var child in rsc.Children)
        {
            SetRecursive(child, flag);
        }
    }

    /// <summary>pcmk__scan_min_int: the default when absent, 0 when invalid, at least 0.</summary>
    private static int MinInt(string? text, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }
        var value = StatusXmlReader.ParseLong(text);
        return value is null ? 0 : (int)Math.Clamp(value.Value, 0, int.MaxValue);
    }

    private int ParseScore(string? text) => Scores.Parse(text, ws.NodeHealthRed, ws.NodeHealthYellow, ws.NodeHealthGreen);

    /// <summary>
    /// The instance parameters for a node: own sets, then each ancestor's, evaluated against the node's
    /// attributes (pe_rsc_params); computed on first use per node, after the status is known.
    /// </summary>
    private Func<NodeDetails?, IReadOnlyDictionary<string, string>> ParametersFor(Resource rsc)
    {
        var cache = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        return node =>
        {
            var key = node?.Id ?? "";
            if (!cache.TryGetValue(key, out var parameters))
            {
                var table = new Dictionary<string, string>(StringComparer.Ordinal);
                var context = new RuleContext { Now = ws.Now, NodeAttributes = node?.Attrs };
                for (var r = rsc; r is not null; r = r.Parent)
                {
                    NvSets.Apply(table, RuleEvaluator.Blocks(_models[r].Params, context), overwrite: false);
                }
                parameters = table;
                cache[key] = parameters;
            }
            return parameters;
        };
    }

    private List<OperationDefinition> UnpackOperations(Resource rsc, Primitive primitive)
    {
        var list = new List<OperationDefinition>();
        foreach (var op in primitive.Operations)
        {
            var intervalMs = (uint)Math.Min(op.Interval.Milliseconds, uint.MaxValue);
            var roleText = op.Role is { } role ? RoleText(role) : null;
            var onFail = op.OnFail is { } f ? OnFailText(f) : null;
            var timeout = op.Timeout is { } t ? $"{t.Milliseconds}ms" : null;
            var context = new RuleContext
            {
                Now = ws.Now,
                HasRscData = true,
                RscClass = primitive.Agent?.Class,
                RscProvider = primitive.Agent?.Provider,
                RscType = primitive.Agent?.Type,
                HasOpData = true,
                OpName = op.Name,
                OpIntervalMs = intervalMs,
            };
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            NvSets.Apply(meta, RuleEvaluator.Blocks(op.Meta, context), overwrite: true);
            meta["id"] = op.Id;
            meta["name"] = op.Name;
            meta["interval"] = $"{op.Interval.Milliseconds}ms";
            SetIfPresent(meta, "timeout", timeout);
            SetIfPresent(meta, "role", roleText);
            SetIfPresent(meta, "on-fail", onFail);
            SetIfPresent(meta, "start-delay", op.StartDelay is { } d ? $"{d.Milliseconds}ms" : null);
            SetIfPresent(meta, "interval-origin", op.IntervalOrigin);
            SetIfPresent(meta, "record-pending", op.RecordPending is { } rp ? (rp ? "true" : "false") : null);
            SetIfPresent(meta, "enabled", op.Enabled is { } en ? (en ? "true" : "false") : null);
            SetIfPresent(meta, "requires", op.Requires);
            SetIfPresent(meta, "description", op.Description);
            var sets = op.Params;
            list.Add(new OperationDefinition
            {
                Id = op.Id,
                Name = op.Name,
                IntervalMs = intervalMs,
                Role = op.Role,
                RoleText = roleText,
                Enabled = op.Enabled,
                OnFail = onFail,
                Timeout = timeout,
                Meta = meta,
                Parameters = node =>
                {
                    var table = new Dictionary<string, string>(StringComparer.Ordinal);
                    NvSets.Apply(table, RuleEvaluator.Blocks(sets, context with { NodeAttributes = node?.Attrs }), overwrite: false);
                    return table;
                },
            });
        }
        return list;
    }

    private static void SetIfPresent(Dictionary<string, string> meta, string name, string? value)
    {
        if (value is not null)
        {
            meta[name] = value;
        }
    }

    private static string RoleText(Role role) => role switch
    {
        Role.Stopped => "Stopped",
        Role.Started => "Started",
        Role.Unpromoted => "Unpromoted",
        Role.Promoted => "Promoted",
        _ => "Unknown",
    };

    private static string OnFailText(Model.Resources.OnFail onFail) => onFail switch
    {
        Model.Resources.OnFail.RestartContainer => "restart-container",
        _ => onFail.ToString().ToLowerInvariant(),
    };
}
