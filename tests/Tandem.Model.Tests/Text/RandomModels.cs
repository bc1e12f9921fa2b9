using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Durations;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;

namespace Tandem.Model.Tests.Text;

/// <summary>
/// Random valid configurations for property tests of the faces, from a seed. They use every construct
/// of the model, with awkward values (spaces, quotes, keywords, '=' and '#' in values), and keep to what
/// the text face carries: ids of pairs, expressions and date specs are the conventional ones, and there
/// are no id references.
/// </summary>
internal sealed class RandomModels(int seed, int size)
{
    private readonly Random _random = new(seed);
    private int _ids;

    private static readonly string[] AwkwardValues =
        ["1", "on", "a b", "with \"quotes\"", "back\\slash", "x=y", "#hash", "$dollar", "@at", "/slash/", "colon:", "and", "or", "rule", "(", ")", "", "10.0.0.1", "inf"];

    private static readonly string[] Names = ["ip", "cidr_netmask", "nic", "target-role", "resource-stickiness", "drbd_resource", "device", "a.b", "x-y_z", "#weird"];

    private static readonly string[] Attributes = ["#uname", "#id", "#kind", "site", "pingd", "defined", "a b", "rule"];

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private int Count(int max) => _random.Next(Math.Max(1, Math.Min(max, size) + 1));

    private string NewId(string prefix) => $"{prefix}{++_ids}";

    private Score RandomScore() => _random.Next(6) switch
    {
        0 => Score.Infinity,
        1 => Score.MinusInfinity,
        2 => Score.Zero,
        _ => new Score(_random.Next(-5000, 5000)),
    };

    private Duration RandomDuration() => _random.Next(5) switch
    {
        0 => Duration.Zero,
        1 => new Duration(_random.Next(1, 2000)),
        2 => Duration.FromSeconds(_random.Next(1, 100)),
        3 => new Duration(60_000L * _random.Next(1, 100)),
        _ => new Duration(3_600_000L * _random.Next(1, 5)),
    };

    private Role RandomRole() => Pick([Role.Stopped, Role.Started, Role.Unpromoted, Role.Promoted]);

    private string? Maybe(string value, int percent = 30) => Chance(percent) ? value : null;

    /// <summary>An attribute block whose id is conventional or explicit, with conventional pair ids.</summary>
    private AttributeSet Set(string conventionalId, bool allowRule = true)
    {
        var id = Chance(70) ? conventionalId : NewId("set");
        var names = Enumerable.Range(0, Count(4)).Select(_ => Pick(Names)).ToList();
        var ids = Deduplicate(names.Select(n => $"{id}-{n}"));
        return new AttributeSet(id, names.Select((n, i) => new NvPair(ids[i], n, Pick(AwkwardValues))).ToValueList())
        {
            Score = Chance(20) ? RandomScore() : null,
            Rule = allowRule && Chance(20) ? Rule($"{id}-rule", depth: 0) : null,
        };
    }

    private ValueList<AttributeSet> Sets(Func<int, string> conventionalId, int max = 2) =>
        Enumerable.Range(0, Count(max)).Select(i => Set(conventionalId(i))).ToValueList();

    private static List<string> Deduplicate(IEnumerable<string> ids)
    {
        var seen = new HashSet<string>();
        return [.. ids.Select(id =>
        {
            var unique = id;
            for (var n = 1; !seen.Add(unique); n++)
            {
                unique = $"{id}-{n}";
            }
            return unique;
        })];
    }

    private static string Indexed(string baseId, int index) => index == 0 ? baseId : $"{baseId}-{index}";

    private Rule Rule(string conventionalId, int depth)
    {
        var id = Chance(70) ? conventionalId : NewId("rule");
        var count = 1 + Count(3);
        var expressions = Enumerable.Range(0, count).Select(i => Expression(Indexed($"{id}-expression", i), depth)).ToValueList();
        return new Rule(id, expressions)
        {
            Score = Chance(70) ? RandomScore() : null,
            ScoreAttribute = Chance(15) ? Pick(["pingd", "inf", "a b"]) : null,
            BooleanOp = Chance(40) ? BooleanOperator.Or : BooleanOperator.And,
            Role = Chance(20) ? RandomRole() : null,
        };
    }

    private RuleExpression Expression(string id, int depth) => _random.Next(depth < 2 ? 7 : 6) switch
    {
        0 => new AttributeExpression(id, Pick(Attributes), Pick([ComparisonOperator.Defined, ComparisonOperator.NotDefined])),
        1 or 2 => new AttributeExpression(id, Pick(Attributes), Pick([ComparisonOperator.Eq, ComparisonOperator.Ne, ComparisonOperator.Lt, ComparisonOperator.Gte]))
        {
            Value = Pick(AwkwardValues),
            Type = Chance(30) ? Pick([Tandem.Model.Rules.ValueType.String, Tandem.Model.Rules.ValueType.Integer, Tandem.Model.Rules.ValueType.Number, Tandem.Model.Rules.ValueType.Version]) : null,
            ValueSource = Chance(20) ? Pick([ValueSource.Param, ValueSource.Meta]) : ValueSource.Literal,
        },
        3 => new DateExpression(id, Pick([DateOperation.Gt, DateOperation.Lt, DateOperation.InRange, DateOperation.DateSpec]))
        {
            Start = Maybe("2024-01-01", 50),
            End = Maybe("2025-06-30T12:00:00Z", 50),
            Duration = Chance(30) ? new DateSpec($"{id}-duration") { Years = "1", Hours = Maybe("2") } : null,
            Spec = Chance(30) ? new DateSpec($"{id}-date_spec") { Hours = "9-16", Weekdays = Maybe("1-5"), Yearsdays = Maybe("100") } : null,
        },
        4 => new ResourceExpression(id) { Class = Maybe("ocf", 70), Provider = Maybe("heartbeat"), Type = Maybe("IPaddr2") },
        5 => new OperationExpression(id, Pick(["monitor", "start"])) { Interval = Chance(50) ? RandomDuration() : null },
        _ => Rule(id, depth + 1),
    };

    private Operation Operation(string conventionalId, string name)
    {
        var id = Chance(70) ? conventionalId : NewId("op");
        return new Operation(id, name, Duration.Zero)
        {
            Timeout = Chance(60) ? RandomDuration() : null,
            Role = Chance(30) ? RandomRole() : null,
            OnFail = Chance(20) ? Pick(Enum.GetValues<OnFail>()) : null,
            StartDelay = Chance(10) ? RandomDuration() : null,
            IntervalOrigin = Maybe("2024-01-01T00:00:00Z", 10),
            RecordPending = Chance(10) ? Chance(50) : null,
            Enabled = Chance(10) ? Chance(50) : null,
            Requires = Maybe("quorum", 5),
            Description = Maybe("the \"main\" check", 10),
            Params = Chance(15) ? [Set($"{id}-instance_attributes")] : [],
            Meta = Chance(10) ? [Set($"{id}-meta_attributes")] : [],
        };
    }

    private ValueList<Operation> Operations(string resourceId)
    {
        var drafts = Enumerable.Range(0, Count(4)).Select(_ => (Name: Pick(["monitor", "start", "stop", "promote"]), Interval: RandomDuration())).ToList();
        var conventional = Deduplicate(drafts.Select(d => $"{resourceId}-{d.Name}-{d.Interval}"));
        return drafts.Select((d, i) => Operation(conventional[i], d.Name) with { Interval = d.Interval }).ToValueList();
    }

    private Primitive Primitive(IReadOnlyList<string> templates)
    {
        var id = NewId("rsc");
        var useTemplate = templates.Count > 0 && Chance(20);
        return new Primitive(id, useTemplate ? null : Pick(Agents))
        {
            Template = useTemplate ? Pick(templates) : null,
            Description = Maybe("a \"quoted\" description with spaces", 15),
            Params = Sets(i => Indexed($"{id}-instance_attributes", i)),
            Meta = Sets(i => Indexed($"{id}-meta_attributes", i), 1),
            Utilization = Chance(15) ? [Set($"{id}-utilization")] : [],
            Operations = Operations(id),
            OperationsId = Maybe($"{id}-ops", 10),
        };
    }

    private static readonly ResourceAgent[] Agents =
    [
        new("ocf", "heartbeat", "IPaddr2"), new("ocf", "linbit", "drbd"), new("systemd", null, "nginx"),
        new("stonith", null, "fence_ipmilan"), new("lsb", null, "/etc/init.d/app"), new("ocf", "pacemaker", "Stateful"),
    ];

    private Resource TopLevel(IReadOnlyList<string> templates)
    {
        switch (_random.Next(5))
        {
            case 0:
                var groupId = NewId("grp");
                return new Group(groupId, Enumerable.Range(0, 1 + Count(3)).Select(_ => Primitive(templates)).ToValueList())
                {
                    Meta = Sets(i => Indexed($"{groupId}-meta_attributes", i), 1),
                    Description = Maybe("group description"),
                };
            case 1:
                var cloneId = NewId("cln");
                Resource child = Chance(30)
                    ? new Group(NewId("grp"), Enumerable.Range(0, 1 + Count(2)).Select(_ => Primitive(templates)).ToValueList())
                    : Primitive(templates);
                return new Clone(cloneId, child)
                {
                    Meta = Chance(50) ? [new AttributeSet($"{cloneId}-meta_attributes", [new NvPair($"{cloneId}-meta_attributes-promotable", "promotable", "true")])] : [],
                    Params = Chance(10) ? [Set($"{cloneId}-instance_attributes")] : [],
                };
            case 2:
                var bundleId = NewId("bnd");
                return new Bundle(bundleId, Pick(["docker", "podman"]), "registry/image:latest")
                {
                    Replicas = Chance(50) ? _random.Next(1, 4) : null,
                    PromotedMax = Chance(20) ? 1 : null,
                    RunCommand = Maybe("/usr/sbin/run --with args"),
                    Options = Maybe("--net=host"),
                    Primitive = Chance(60) ? Primitive([]) : null,
                };
            default:
                return Primitive(templates);
        }
    }

    private ResourceSet ResourceSet(string conventionalId, IReadOnlyList<string> resources) =>
        new(Chance(70) ? conventionalId : NewId("set"), Enumerable.Range(0, 1 + Count(3)).Select(_ => Pick(resources)).ToValueList())
        {
            Sequential = Chance(30) ? Chance(50) : null,
            RequireAll = Chance(20) ? Chance(50) : null,
            Action = Chance(20) ? Pick(Enum.GetValues<ResourceAction>()) : null,
            Role = Chance(20) ? RandomRole() : null,
            Score = Chance(10) ? RandomScore() : null,
            Kind = Chance(10) ? Pick(Enum.GetValues<OrderKind>()) : null,
            Ordering = Maybe("group", 5),
        };

    private ValueList<ResourceSet> ResourceSets(string constraintId, IReadOnlyList<string> resources, int percent) =>
        Chance(percent) ? Enumerable.Range(0, 1 + Count(2)).Select(i => ResourceSet(Indexed($"{constraintId}-set", i), resources)).ToValueList() : [];

    private Constraint Constraint(IReadOnlyList<string> resources, IReadOnlyList<string> nodes)
    {
        switch (_random.Next(4))
        {
            case 0:
                var locationId = NewId("loc");
                var byRules = Chance(50);
                var sets = ResourceSets(locationId, resources, 15);
                var byPattern = sets.IsEmpty && Chance(10);
                return new LocationConstraint(locationId)
                {
                    Resource = sets.IsEmpty && !byPattern ? Pick(resources) : null,
                    ResourcePattern = byPattern ? "^web-[0-9]+ $" : null,
                    Sets = sets,
                    Role = Chance(20) ? RandomRole() : null,
                    Discovery = Chance(10) ? Pick(Enum.GetValues<ResourceDiscovery>()) : null,
                    Score = byRules ? null : RandomScore(),
                    Node = byRules ? null : Pick(nodes),
                    Rules = byRules ? Enumerable.Range(0, 1 + Count(2)).Select(i => Rule(Indexed($"{locationId}-rule", i), 0)).ToValueList() : [],
                };
            case 1:
                var colocationId = NewId("col");
                var colocationSets = ResourceSets(colocationId, resources, 20);
                var simple = colocationSets.IsEmpty;
                return new ColocationConstraint(colocationId)
                {
                    Score = Chance(90) ? RandomScore() : null,
                    Resource = simple ? Pick(resources) : null,
                    WithResource = simple ? Pick(resources) : null,
                    ResourceRole = simple && Chance(20) ? RandomRole() : null,
                    WithResourceRole = simple && Chance(30) ? RandomRole() : null,
                    NodeAttribute = Maybe("site", 10),
                    Influence = Chance(10) ? Chance(50) : null,
                    Sets = colocationSets,
                };
            case 2:
                var orderId = NewId("ord");
                var orderSets = ResourceSets(orderId, resources, 20);
                return new OrderConstraint(orderId)
                {
                    First = orderSets.IsEmpty ? Pick(resources) : null,
                    Then = orderSets.IsEmpty ? Pick(resources) : null,
                    FirstAction = orderSets.IsEmpty && Chance(40) ? Pick(Enum.GetValues<ResourceAction>()) : null,
                    ThenAction = orderSets.IsEmpty && Chance(40) ? Pick(Enum.GetValues<ResourceAction>()) : null,
                    Kind = Chance(50) ? Pick(Enum.GetValues<OrderKind>()) : null,
                    Score = Chance(30) ? RandomScore() : null,
                    Symmetrical = Chance(20) ? Chance(50) : null,
                    RequireAll = Chance(10) ? Chance(50) : null,
                    Sets = orderSets,
                };
            default:
                var ticketId = NewId("tkt");
                var ticketSets = ResourceSets(ticketId, resources, 20);
                return new TicketConstraint(ticketId, Pick(["ticketA", "ticket-b"]))
                {
                    Resource = ticketSets.IsEmpty ? Pick(resources) : null,
                    ResourceRole = ticketSets.IsEmpty && Chance(30) ? RandomRole() : null,
                    LossPolicy = Maybe("stop", 50),
                    Sets = ticketSets,
                };
        }
    }

    public ClusterConfiguration Build()
    {
        var nodes = Enumerable.Range(0, 1 + Count(3)).Select(i =>
        {
            var uname = NewId("node");
            var id = Chance(50) ? uname : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Node(id, uname)
            {
                Type = Chance(30) ? Pick(Enum.GetValues<NodeType>()) : null,
                Score = Chance(10) ? RandomScore() : null,
                Description = Maybe("rack 4"),
                Attributes = Sets(j => Indexed($"nodes-{id}", j), 1),
                Utilization = Chance(20) ? [Set($"nodes-{id}-utilization")] : [],
            };
        }).ToValueList();
        var templates = Enumerable.Range(0, Count(1)).Select(_ =>
        {
            var id = NewId("tmpl");
            return new ResourceTemplate(id, Pick(Agents)) { Params = Sets(i => Indexed($"{id}-instance_attributes", i), 1), Operations = Operations(id) };
        }).ToValueList();
        var templateIds = templates.Select(t => t.Id).ToList();
        var resources = Enumerable.Range(0, 1 + Count(5)).Select(_ => TopLevel(templateIds)).ToValueList();
        var resourceIds = resources.SelectMany(r => r.SelfAndDescendants).Select(r => r.Id).ToList();
        var nodeNames = nodes.Select(n => n.Uname).ToList();
        return new ClusterConfiguration
        {
            Nodes = nodes,
            Templates = templates,
            Resources = resources,
            Constraints = Enumerable.Range(0, Count(6)).Select(_ => Constraint(resourceIds, nodeNames)).ToValueList(),
            Properties = Enumerable.Range(0, 1 + Count(1)).Select(i => Set(Indexed("cib-bootstrap-options", i))).ToValueList(),
            ResourceDefaults = Enumerable.Range(0, Count(1)).Select(i => Set(Indexed("rsc-options", i))).ToValueList(),
            OperationDefaults = Enumerable.Range(0, Count(1)).Select(i => Set(Indexed("op-options", i))).ToValueList(),
            Tags = Chance(30) ? [new Tag(NewId("tag"), [Pick(resourceIds), Pick(resourceIds)])] : [],
            FencingTopology = Chance(30)
                ? [new FencingLevel(NewId("fl"), _random.Next(1, 3), ["fence-a", "fence-b"]) { Target = Pick(nodeNames) }]
                : [],
        };
    }
}
