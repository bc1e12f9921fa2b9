using System.Globalization;
using System.Xml.Linq;

namespace Tandem.Scheduler.Tests.Differential;

/// <summary>
/// Writes random but well-formed CIBs: nodes (some in standby or offline), primitives, groups, clones and
/// promotable clones, location, colocation and order constraints, and an operation history with
/// running, stopped, promoted and failed resources (with fail counts). The same seed gives the same CIB.
/// </summary>
public sealed class CibGenerator(int seed)
{
    private const long ExecutionDate = 1_700_000_000;
    private readonly Random _random = new(seed);
    private readonly List<string> _nodes = [];
    private readonly List<ResourceSpec> _resources = [];
    private readonly Dictionary<string, string?> _homes = [];
    private int _callId = 10;
    // A settled cluster for benchmarks: current digests, no random meta-attributes, sticky resources.
    private bool _settled;

    private sealed record ResourceSpec(string Id, string Kind, string Agent, IReadOnlyList<string> Primitives, bool Promotable, int Instances);

    private static string Inv(long value) => value.ToString(CultureInfo.InvariantCulture);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>A small random cluster for comparing with crm_simulate.</summary>
    public XElement Generate()
    {
        var nodeCount = _random.Next(2, 6);
        for (var i = 1; i <= nodeCount; i++)
        {
            _nodes.Add($"node{i}");
        }
        var count = _random.Next(1, 8);
        for (var i = 1; i <= count; i++)
        {
            _resources.Add(RandomResource($"r{i}"));
        }
        var symmetric = Chance(0.8);
        var fencing = Chance(0.3);
        if (fencing)
        {
            _resources.Add(new ResourceSpec("fencer", "primitive", "stonith::fence_dummy", ["fencer"], false, 1));
        }
        var properties = new List<(string, string)>
        {
            ("stonith-enabled", fencing ? "true" : "false"),
            ("no-quorum-policy", Pick(new[] { "ignore", "stop", "freeze" })),
            ("symmetric-cluster", symmetric ? "true" : "false"),
            ("start-failure-is-fatal", Chance(0.7) ? "true" : "false"),
        };
        if (Chance(0.2))
        {
            properties.Add(("stop-orphan-resources", "false"));
        }
        var offline = _nodes.Where(_ => Chance(0.15)).ToHashSet();
        if (offline.Count == _nodes.Count)
        {
            offline.Remove(_nodes[0]);
        }
        var standby = _nodes.Where(n => !offline.Contains(n) && Chance(0.15)).ToHashSet();
        // With fencing, a node can be lost unexpectedly (unclean): its resources are recovered after fencing.
        var unclean = fencing ? offline.Where(_ => Chance(0.5)).ToHashSet() : [];
        return Build(properties, RandomConstraints(), RandomStatus(offline, standby, unclean));
    }

    /// <summary>
    /// A large steady-state cluster for benchmarks: <paramref name="resourceCount"/> primitives (every
    /// tenth in a group of three, every twentieth a clone), each already running where it was placed and
    /// probed everywhere else; with <paramref name="failNode"/> the first node is lost, so its resources
    /// must be recovered.
    /// </summary>
    public XElement GenerateLarge(int nodeCount, int resourceCount, bool failNode)
    {
        _settled = true;
        for (var i = 1; i <= nodeCount; i++)
        {
            _nodes.Add($"node{i}");
        }
        var made = 0;
        var index = 0;
        while (made < resourceCount)
        {
            index++;
            if (index % 20 == 0)
            {
                _resources.Add(new ResourceSpec($"clone{index}", "clone", "ocf:pacemaker:Dummy", [$"c{index}"], false, nodeCount));
                made += 1;
            }
            else if (index % 10 == 0 && resourceCount - made >= 3)
            {
                _resources.Add(new ResourceSpec($"group{index}", "group", "ocf:pacemaker:Dummy", [$"g{index}a", $"g{index}b", $"g{index}c"], false, 1));
                made += 3;
            }
            else
            {
                _resources.Add(new ResourceSpec($"rsc{index}", "primitive", "ocf:pacemaker:Dummy", [$"rsc{index}"], false, 1));
                made += 1;
            }
        }
        var constraints = new List<XElement>();
        for (var i = 0; i < _resources.Count; i++)
        {
            var spec = _resources[i];
            if (spec.Kind != "clone" && i % 7 == 0)
            {
                constraints.Add(new XElement("rsc_location", new XAttribute("id", $"loc-{spec.Id}"), new XAttribute("rsc", spec.Id),
                    new XAttribute("node", _nodes[i % nodeCount]), new XAttribute("score", "100")));
            }
            if (spec.Kind != "clone" && i % 11 == 0 && i > 0 && _resources[i - 1].Kind != "clone")
            {
                constraints.Add(new XElement("rsc_colocation", new XAttribute("id", $"col-{spec.Id}"), new XAttribute("rsc", spec.Id),
                    new XAttribute("with-rsc", _resources[i - 1].Id), new XAttribute("score", "INFINITY")));
                constraints.Add(new XElement("rsc_order", new XAttribute("id", $"ord-{spec.Id}"), new XAttribute("first", _resources[i - 1].Id),
                    new XAttribute("then", spec.Id)));
            }
        }
        // Steady state: each resource runs on a node of its own, round robin (clones everywhere).
        var placement = new Dictionary<string, List<string>>();
        var next = 0;
        foreach (var spec in _resources)
        {
            if (spec.Kind == "clone")
            {
                for (var n = 0; n < nodeCount; n++)
                {
                    Place(placement, _nodes[n], $"{spec.Primitives[0]}:{n}");
                }
                continue;
            }
            var node = _nodes[next++ % nodeCount];
            foreach (var primitive in spec.Primitives)
            {
                Place(placement, node, primitive);
            }
        }
        // Every node has probed every resource, as in a running cluster: where it is not active, the
        // probe found it stopped.
        var primitives = _resources.Where(r => r.Kind != "clone").SelectMany(r => r.Primitives).ToList();
        var status = new XElement("status");
        foreach (var node in _nodes)
        {
            var lost = failNode && node == _nodes[0];
            var lrm = new XElement("lrm_resources");
            var active = placement.GetValueOrDefault(node) ?? [];
            foreach (var rsc in active)
            {
                lrm.Add(History(rsc, "ocf:pacemaker:Dummy", Op("start", 0, 0), Op("monitor", 10000, 0)));
            }
            foreach (var rsc in primitives.Except(active))
            {
                lrm.Add(History(rsc, "ocf:pacemaker:Dummy", Op("monitor", 0, 7)));
            }
            status.Add(NodeState(node, online: !lost, lrm, []));
        }
        return Build([("stonith-enabled", "false"), ("no-quorum-policy", "ignore")], constraints, status);
    }

    private static void Place(Dictionary<string, List<string>> placement, string node, string rsc)
    {
        if (!placement.TryGetValue(node, out var list))
        {
            list = [];
            placement[node] = list;
        }
        list.Add(rsc);
    }

    private ResourceSpec RandomResource(string id)
    {
        var kind = Pick(new[] { "primitive", "primitive", "group", "clone", "promotable", "clonedgroup", "unique" });
        return kind switch
        {
            "clonedgroup" => new ResourceSpec(id + "-clone", "clonedgroup", "ocf:pacemaker:Dummy",
                [.. Enumerable.Range(1, _random.Next(2, 4)).Select(i => $"{id}m{i}")], false, _nodes.Count),
            "unique" => new ResourceSpec(id + "-unique", "unique", "ocf:pacemaker:Dummy", [id], false, _nodes.Count + 1),
            "group" => new ResourceSpec(id, "group", "ocf:pacemaker:Dummy",
                [.. Enumerable.Range(1, _random.Next(2, 4)).Select(i => $"{id}m{i}")], false, 1),
            "clone" => new ResourceSpec(id + "-clone", "clone", "ocf:pacemaker:Dummy", [id], false, _nodes.Count),
            "promotable" => new ResourceSpec(id + "-ms", "clone", "ocf:pacemaker:Stateful", [id], true, _nodes.Count),
            _ => new ResourceSpec(id, "primitive", Pick(new[] { "ocf:pacemaker:Dummy", "ocf:heartbeat:Dummy" }), [id], false, 1),
        };
    }

    private const string EmptyDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";
    private const string MonitorDigest = "4811cef7f7f94e3a35a70be7916cb2fd";
    private const string StaleDigest = "00000000000000000000000000000000";

    private static readonly string[] ScoreChoices = ["-INFINITY", "-100", "0", "50", "100", "INFINITY"];

    private List<XElement> RandomConstraints()
    {
        var constraints = new List<XElement>();
        var count = _random.Next(0, 2 * _resources.Count + 1);
        for (var i = 0; i < count; i++)
        {
            var rsc = Pick(_resources);
            switch (_random.Next(5))
            {
                case 3:
                    constraints.Add(new XElement("rsc_location", new XAttribute("id", $"loc{i}"), new XAttribute("rsc", rsc.Id),
                        new XElement("rule", new XAttribute("id", $"loc{i}-rule"), new XAttribute("score", Pick(ScoreChoices)),
                            new XElement("expression", new XAttribute("id", $"loc{i}-expr"), new XAttribute("attribute", Pick(new[] { "zone", "#uname" })),
                                new XAttribute("operation", Pick(new[] { "eq", "ne" })), new XAttribute("value", Pick(new[] { "a", "b", _nodes[0] }))))));
                    break;
                case 4:
                    var members = _resources.OrderBy(_ => _random.Next()).Take(_random.Next(2, 4)).Select(r => r.Id).ToList();
                    if (members.Count < 2)
                    {
                        continue;
                    }
                    var set = new XElement("resource_set", new XAttribute("id", $"set{i}"), members.Select(m => new XElement("resource_ref", new XAttribute("id", m))));
                    if (Chance(0.3))
                    {
                        set.Add(new XAttribute("sequential", "false"));
                    }
                    constraints.Add(Chance(0.5)
                        ? new XElement("rsc_colocation", new XAttribute("id", $"col{i}"), new XAttribute("score", Pick(new[] { "INFINITY", "-INFINITY", "100" })), set)
                        : new XElement("rsc_order", new XAttribute("id", $"ord{i}"), new XAttribute("kind", Pick(new[] { "Mandatory", "Optional" })), set));
                    break;
                case 0:
                    var location = new XElement("rsc_location", new XAttribute("id", $"loc{i}"), new XAttribute("rsc", rsc.Id),
                        new XAttribute("node", Pick(_nodes)), new XAttribute("score", Pick(ScoreChoices)));
                    if (rsc.Promotable && Chance(0.5))
                    {
                        location.Add(new XAttribute("role", "Promoted"));
                    }
                    constraints.Add(location);
                    break;
                case 1:
                    var with = Pick(_resources);
                    if (with == rsc)
                    {
                        continue;
                    }
                    var colocation = new XElement("rsc_colocation", new XAttribute("id", $"col{i}"), new XAttribute("rsc", rsc.Id),
                        new XAttribute("with-rsc", with.Id), new XAttribute("score", Pick(new[] { "INFINITY", "-INFINITY", "100", "-100" })));
                    if (with.Promotable && Chance(0.6))
                    {
                        colocation.Add(new XAttribute("with-rsc-role", "Promoted"));
                    }
                    constraints.Add(colocation);
                    break;
                default:
                    var then = Pick(_resources);
                    if (then == rsc)
                    {
                        continue;
                    }
                    var order = new XElement("rsc_order", new XAttribute("id", $"ord{i}"), new XAttribute("first", rsc.Id),
                        new XAttribute("then", then.Id), new XAttribute("kind", Pick(new[] { "Mandatory", "Mandatory", "Optional" })));
                    if (rsc.Promotable && Chance(0.5))
                    {
                        order.Add(new XAttribute("first-action", "promote"), new XAttribute("then-action", "start"));
                    }
                    constraints.Add(order);
                    break;
            }
        }
        return constraints;
    }

    private XElement RandomStatus(HashSet<string> offline, HashSet<string> standby, HashSet<string> unclean)
    {
        var status = new XElement("status");
        foreach (var node in _nodes)
        {
            if (unclean.Contains(node))
            {
                var lost = new XElement("lrm_resources");
                foreach (var spec in _resources)
                {
                    AddRandomHistory(spec, node, lost, []);
                }
                status.Add(NodeState(node, online: false, lost, [], expectedUp: true));
                continue;
            }
            var lrm = new XElement("lrm_resources");
            var attributes = new List<(string, string)>();
            if (standby.Contains(node))
            {
                attributes.Add(("standby", "on"));
            }
            if (!offline.Contains(node))
            {
                foreach (var spec in _resources)
                {
                    AddRandomHistory(spec, node, lrm, attributes);
                }
            }
            status.Add(NodeState(node, !offline.Contains(node), lrm, attributes));
        }
        return status;
    }

    private void AddRandomHistory(ResourceSpec spec, string node, XElement lrm, List<(string, string)> attributes)
    {
        var nodeIndex = _nodes.IndexOf(node);
        foreach (var primitive in spec.Primitives)
        {
            var cloned = spec.Kind is "clone" or "clonedgroup" or "unique";
            var historyId = cloned ? $"{primitive}:{nodeIndex}" : primitive;
            var roll = _random.NextDouble();
            if (!cloned)
            {
                // A primitive has a home node (or none) where it may be active; elsewhere it was at most
                // probed, except for a rare second active copy.
                if (!_homes.TryGetValue(primitive, out var home))
                {
                    home = Chance(0.7) ? Pick(_nodes) : null;
                    _homes[primitive] = home;
                }
                if (home != node && !Chance(0.03))
                {
                    roll = 0.6 + (0.4 * _random.NextDouble());
                }
            }
            if (roll < 0.35)
            {
                lrm.Add(History(historyId, spec.Agent, Op("start", 0, 0), Op("monitor", 10000, 0)));
            }
            else if (roll < 0.45 && spec.Promotable)
            {
                lrm.Add(History(historyId, spec.Agent, Op("start", 0, 0), Op("promote", 0, 0), Op("monitor", 11000, 8)));
            }
            else if (roll < 0.55)
            {
                lrm.Add(History(historyId, spec.Agent, Op("start", 0, 0), Op("monitor", 10000, 1)));
                var failures = _random.Next(1, 4);
                attributes.Add(($"fail-count-{primitive}#monitor_10000", Inv(failures)));
                attributes.Add(($"last-failure-{primitive}#monitor_10000", Inv(ExecutionDate - 60)));
            }
            else if (roll < 0.6)
            {
                lrm.Add(History(historyId, spec.Agent, Op("start", 0, 1)));
                attributes.Add(($"fail-count-{primitive}#start_0", "INFINITY"));
                attributes.Add(($"last-failure-{primitive}#start_0", Inv(ExecutionDate - 60)));
            }
            else if (roll < 0.63)
            {
                lrm.Add(History(historyId, spec.Agent, Op("start", 0, 0), Op("stop", 0, 1)));
                attributes.Add(($"fail-count-{primitive}#stop_0", "INFINITY"));
                attributes.Add(($"last-failure-{primitive}#stop_0", Inv(ExecutionDate - 30)));
            }
            else if (roll < 0.8)
            {
                lrm.Add(History(historyId, spec.Agent, Op("monitor", 0, 7)));
            }
            if (spec.Promotable && Chance(0.5))
            {
                attributes.Add(($"master-{primitive}", Inv(_random.Next(0, 3) * 5)));
            }
        }
    }

    private static (string Task, uint IntervalMs, int Rc) Op(string task, uint intervalMs, int rc) => (task, intervalMs, rc);

    private static XElement AgentAttributes(XElement element, string agent)
    {
        var parts = agent.Split(':');
        element.Add(new XAttribute("class", parts[0]));
        if (parts[1].Length > 0)
        {
            element.Add(new XAttribute("provider", parts[1]));
        }
        element.Add(new XAttribute("type", parts[2]));
        return element;
    }

    private XElement History(string id, string agent, params (string Task, uint IntervalMs, int Rc)[] ops)
    {
        var history = AgentAttributes(new XElement("lrm_resource", new XAttribute("id", id)), agent);
        foreach (var (task, interval, rc) in ops)
        {
            var call = _callId++;
            var key = $"{id}_{task}_{Inv(interval)}";
            var opId = interval > 0 ? key : rc is 0 or 7 or 8 ? $"{id}_last_0" : $"{id}_last_failure_0";
            var target = task == "monitor" && interval == 0 ? 7 : task == "monitor" && rc == 8 ? 8 : 0;
            var transitionKey = $"{Inv(call)}:1:{Inv(target)}:00000000-0000-0000-0000-000000000000";
            history.Elements("lrm_rsc_op").Where(e => (string?)e.Attribute("id") == opId).Remove();
            var op = new XElement("lrm_rsc_op",
                new XAttribute("id", opId), new XAttribute("operation_key", key), new XAttribute("operation", task),
                new XAttribute("crm_feature_set", "3.16.1"), new XAttribute("transition-key", transitionKey),
                new XAttribute("transition-magic", $"0:{Inv(rc)};{transitionKey}"), new XAttribute("call-id", Inv(call)),
                new XAttribute("rc-code", Inv(rc)), new XAttribute("op-status", "0"), new XAttribute("interval", Inv(interval)),
                new XAttribute("last-rc-change", Inv(ExecutionDate - 120)), new XAttribute("exec-time", "10"),
                new XAttribute("queue-time", "0"));
            // Digests of the parameters as Pacemaker records them (no instance attributes; a recurring
            // monitor adds its 20s timeout); sometimes absent or stale, as after a configuration change.
            var roll = _settled ? 0 : _random.NextDouble();
            if (roll < 0.85)
            {
                op.Add(new XAttribute("op-digest", interval > 0 ? MonitorDigest : EmptyDigest));
            }
            else if (roll < 0.9)
            {
                op.Add(new XAttribute("op-digest", StaleDigest));
            }
            history.Add(op);
        }
        return history;
    }

    private static XElement NodeState(string node, bool online, XElement lrm, List<(string Name, string Value)> attributes, bool expectedUp = false)
    {
        var state = new XElement("node_state", new XAttribute("id", node), new XAttribute("uname", node),
            new XAttribute("in_ccm", online ? "true" : "false"), new XAttribute("crmd", online ? "online" : "offline"),
            new XAttribute("join", online ? "member" : "down"), new XAttribute("expected", online || expectedUp ? "member" : "down"));
        if (attributes.Count > 0)
        {
            state.Add(new XElement("transient_attributes", new XAttribute("id", node),
                new XElement("instance_attributes", new XAttribute("id", $"status-{node}"),
                    attributes.Select((a, i) => new XElement("nvpair", new XAttribute("id", $"status-{node}-{i}"),
                        new XAttribute("name", a.Name), new XAttribute("value", a.Value))))));
        }
        state.Add(new XElement("lrm", new XAttribute("id", node), lrm));
        return state;
    }

    private XElement Build(IEnumerable<(string Name, string Value)> properties, List<XElement> constraints, XElement status)
    {
        var resources = new XElement("resources");
        foreach (var spec in _resources)
        {
            resources.Add(ResourceXml(spec));
        }
        return new XElement("cib",
            new XAttribute("crm_feature_set", "3.16.1"), new XAttribute("validate-with", "pacemaker-3.7"),
            new XAttribute("epoch", "1"), new XAttribute("num_updates", "0"), new XAttribute("admin_epoch", "0"),
            new XAttribute("have-quorum", "1"), new XAttribute("dc-uuid", _nodes[0]),
            new XAttribute("execution-date", Inv(ExecutionDate)),
            new XElement("configuration",
                new XElement("crm_config", new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
                    properties.Select(p => new XElement("nvpair", new XAttribute("id", $"opt-{p.Name}"),
                        new XAttribute("name", p.Name), new XAttribute("value", p.Value))))),
                new XElement("nodes", _nodes.Select((n, i) => new XElement("node", new XAttribute("id", n), new XAttribute("uname", n),
                    new XElement("instance_attributes", new XAttribute("id", $"{n}-attrs"),
                        Pair(n, "zone", i % 2 == 0 ? "a" : "b"))))),
                resources,
                new XElement("constraints", constraints)),
            status);
    }

    private XElement ResourceXml(ResourceSpec spec)
    {
        switch (spec.Kind)
        {
            case "group":
                return new XElement("group", new XAttribute("id", spec.Id), spec.Primitives.Select(p => PrimitiveXml(p, spec.Agent, false)));
            case "clonedgroup":
                return new XElement("clone", new XAttribute("id", spec.Id),
                    new XElement("group", new XAttribute("id", spec.Id.Replace("-clone", "-group", StringComparison.Ordinal)),
                        spec.Primitives.Select(p => PrimitiveXml(p, spec.Agent, false))));
            case "unique":
                return new XElement("clone", new XAttribute("id", spec.Id),
                    new XElement("meta_attributes", new XAttribute("id", $"{spec.Id}-meta"),
                        Pair(spec.Id, "globally-unique", "true"), Pair(spec.Id, "clone-max", Inv(spec.Instances)),
                        Pair(spec.Id, "clone-node-max", "2")),
                    PrimitiveXml(spec.Primitives[0], spec.Agent, false));
            case "clone":
                var clone = new XElement("clone", new XAttribute("id", spec.Id));
                var meta = new XElement("meta_attributes", new XAttribute("id", $"{spec.Id}-meta"));
                if (spec.Promotable)
                {
                    meta.Add(Pair(spec.Id, "promotable", "true"));
                }
                if (!_settled && Chance(0.3))
                {
                    meta.Add(Pair(spec.Id, "interleave", "true"));
                }
                if (!_settled && Chance(0.2))
                {
                    meta.Add(Pair(spec.Id, "clone-max", Inv(Math.Max(1, spec.Instances - 1))));
                }
                if (meta.HasElements)
                {
                    clone.Add(meta);
                }
                clone.Add(PrimitiveXml(spec.Primitives[0], spec.Agent, spec.Promotable));
                return clone;
            default:
                return PrimitiveXml(spec.Primitives[0], spec.Agent, false);
        }
    }

    private XElement PrimitiveXml(string id, string agent, bool promotable)
    {
        var primitive = AgentAttributes(new XElement("primitive", new XAttribute("id", id)), agent);
        var meta = new XElement("meta_attributes", new XAttribute("id", $"{id}-meta"));
        if (_settled)
        {
            meta.Add(Pair(id, "resource-stickiness", "100"));
        }
        else if (Chance(0.4))
        {
            meta.Add(Pair(id, "resource-stickiness", Pick(new[] { "0", "1", "100", "INFINITY" })));
        }
        if (!_settled && Chance(0.3))
        {
            meta.Add(Pair(id, "migration-threshold", Pick(new[] { "1", "2", "3" })));
        }
        if (!_settled && Chance(0.1))
        {
            meta.Add(Pair(id, "target-role", "Stopped"));
        }
        if (meta.HasElements)
        {
            primitive.Add(meta);
        }
        var monitor = new XElement("op", new XAttribute("id", $"{id}-monitor-10s"), new XAttribute("name", "monitor"), new XAttribute("interval", "10s"));
        if (!_settled && Chance(0.2))
        {
            monitor.Add(new XAttribute("on-fail", Pick(new[] { "ignore", "block", "stop", "restart", "standby" })));
        }
        var operations = new XElement("operations", monitor);
        if (promotable)
        {
            operations.Add(new XElement("op", new XAttribute("id", $"{id}-monitor-11s"), new XAttribute("name", "monitor"),
                new XAttribute("interval", "11s"), new XAttribute("role", "Promoted")));
        }
        primitive.Add(operations);
        return primitive;
    }

    private static XElement Pair(string owner, string name, string value) =>
        new("nvpair", new XAttribute("id", $"{owner}-{name}"), new XAttribute("name", name), new XAttribute("value", value));
}
