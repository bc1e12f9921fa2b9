using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Durations;
using Tandem.Model.Resources;

namespace Tandem.Model.Text;

/// <summary>Nodes, primitives, templates, groups, clones, bundles, and their attribute blocks and operations.</summary>
public static partial class TextParser
{
    private static Node ParseNode(TextCursor cursor)
    {
        cursor.Context = "node";
        string? id = null;
        if (cursor.AcceptPair("$id") is { } idToken)
        {
            id = idToken.Value;
        }
        else if (cursor.Peek() is { IsLabel: true } label)
        {
            cursor.Next("node id");
            id = label.Label;
        }
        var uname = cursor.Word("the node name");
        id ??= uname;
        cursor.Context = $"node {uname}";
        var node = new Node(id, uname);
        var attributes = new List<AttributeSet>();
        var utilization = new List<AttributeSet>();
        while (cursor.Peek() is { } token)
        {
            if (token.IsPair)
            {
                cursor.Next("");
                node = token.Key switch
                {
                    "type" => node with { Type = cursor.EnumOf<NodeType>(token, token.Value!, "member, ping or remote") },
                    "score" => node with { Score = cursor.ScoreOf(token, token.Value!) },
                    "description" => node with { Description = token.Value },
                    _ => throw cursor.Unexpected(token, "type=, score=, description=, attributes or utilization"),
                };
            }
            else if (cursor.Accept("attributes"))
            {
                attributes.Add(ParseSet(cursor, TextIds.NodeAttributes(id, attributes.Count)));
            }
            else if (cursor.Accept("utilization"))
            {
                utilization.Add(ParseSet(cursor, TextIds.NodeUtilization(id, utilization.Count)));
            }
            else
            {
                throw cursor.Unexpected(token, "type=, score=, description=, attributes or utilization");
            }
        }
        return node with { Attributes = attributes.ToValueList(), Utilization = utilization.ToValueList() };
    }

    /// <summary>
    /// An attribute block after its keyword: "[$id=x] [$score=n] [rule ...] name=value ...". Stops at the
    /// first token that is not a name=value pair.
    /// </summary>
    private static AttributeSet ParseSet(TextCursor cursor, string conventionalId)
    {
        var id = conventionalId;
        Scores.Score? score = null;
        Rules.Rule? rule = null;
        while (true)
        {
            if (cursor.AcceptPair("$id") is { } idToken)
            {
                id = idToken.Value!;
            }
            else if (cursor.AcceptPair("$score") is { } scoreToken)
            {
                score = cursor.ScoreOf(scoreToken, scoreToken.Value!);
            }
            else
            {
                break;
            }
        }
        if (cursor.Accept("rule"))
        {
            rule = ParseRule(cursor, TextIds.SetRule(id));
        }
        var names = new List<(Token Token, string Name, string Value)>();
        while (cursor.Peek() is { IsPair: true } pair && !pair.Key!.StartsWith('$'))
        {
            cursor.Next("");
            names.Add((pair, pair.Key, pair.Value!));
        }
        var ids = TextIds.Deduplicate(names.Select(n => TextIds.Pair(id, n.Name)));
        return new AttributeSet(id, names.Select((n, i) => new NvPair(ids[i], n.Name, n.Value)).ToValueList()) { Score = score, Rule = rule };
    }

    private sealed record PrimitiveParts(
        string? Description,
        ValueList<AttributeSet> Params,
        ValueList<AttributeSet> Meta,
        ValueList<AttributeSet> Utilization,
        ValueList<Operation> Operations,
        string? OperationsId);

    /// <summary>What follows the agent of a primitive or template: description, blocks, operations.</summary>
    private static PrimitiveParts ParsePrimitiveParts(TextCursor cursor, string id)
    {
        string? description = null;
        string? operationsId = null;
        var parameters = new List<AttributeSet>();
        var meta = new List<AttributeSet>();
        var utilization = new List<AttributeSet>();
        var operations = new List<Operation>();
        var conventionalOperationIds = new HashSet<string>(StringComparer.Ordinal);
        while (cursor.Peek() is { } token)
        {
            if (operations.Count == 0 && cursor.AcceptPair("description") is { } d)
            {
                description = d.Value;
            }
            else if (operations.Count == 0 && cursor.Accept("params"))
            {
                parameters.Add(ParseSet(cursor, TextIds.Set(id, "instance_attributes", parameters.Count)));
            }
            else if (operations.Count == 0 && cursor.Accept("meta"))
            {
                meta.Add(ParseSet(cursor, TextIds.Set(id, "meta_attributes", meta.Count)));
            }
            else if (operations.Count == 0 && cursor.Accept("utilization"))
            {
                utilization.Add(ParseSet(cursor, TextIds.Set(id, "utilization", utilization.Count)));
            }
            else if (operations.Count == 0 && cursor.Accept("operations"))
            {
                var idToken = cursor.Next("$id= after operations");
                operationsId = idToken is { IsPair: true, Key: "$id" } ? idToken.Value : throw cursor.Unexpected(idToken, "$id= after operations");
            }
            else if (cursor.Accept("op"))
            {
                operations.Add(ParseOperation(cursor, id, conventionalOperationIds));
            }
            else
            {
                throw cursor.Unexpected(token, operations.Count == 0 ? "description=, params, meta, utilization, operations or op" : "op");
            }
        }
        return new PrimitiveParts(description, parameters.ToValueList(), meta.ToValueList(), utilization.ToValueList(), operations.ToValueList(), operationsId);
    }

    private static readonly string[] OperationKeys =
        ["interval", "timeout", "role", "on-fail", "start-delay", "interval-origin", "record-pending", "enabled", "requires", "description"];

    /// <summary>
    /// "op name [$id=x] interval=.. timeout=.. ... [params ...] [meta ...]". Other name=value pairs are
    /// parameters of the op (as crm reads OCF_CHECK_LEVEL=10). An op without $id gets
    /// "rsc-name-interval", made unique among the primitive's ops (<paramref name="conventionalIds"/>).
    /// </summary>
    private static Operation ParseOperation(TextCursor cursor, string resourceId, HashSet<string> conventionalIds)
    {
        var name = cursor.Word("the operation name");
        string? explicitId = null;
        var loose = new List<Token>();
        var op = new Operation("", name, Duration.Zero);
        while (cursor.Peek() is { IsPair: true } token && !(token.Key!.StartsWith('$') && token.Key != "$id"))
        {
            cursor.Next("");
            op = token.Key switch
            {
                "$id" => op with { Id = explicitId = token.Value! },
                "interval" => op with { Interval = cursor.DurationOf(token) },
                "timeout" => op with { Timeout = cursor.DurationOf(token) },
                "start-delay" => op with { StartDelay = cursor.DurationOf(token) },
                "role" => op with { Role = cursor.RoleOf(token, token.Value!) },
                "on-fail" => op with
                {
                    OnFail = OnFailNames.TryParse(token.Value, out var f) ? f
                        : throw cursor.Error(token, $"invalid on-fail '{token.Value}' (expected ignore, block, demote, stop, restart, standby, fence or restart-container)"),
                },
                "interval-origin" => op with { IntervalOrigin = token.Value },
                "record-pending" => op with { RecordPending = cursor.BoolOf(token) },
                "enabled" => op with { Enabled = cursor.BoolOf(token) },
                "requires" => op with { Requires = token.Value },
                "description" => op with { Description = token.Value },
                _ => op,
            };
            if (!OperationKeys.Contains(token.Key) && token.Key != "$id")
            {
                loose.Add(token);
            }
        }
        var conventional = TextIds.Operation(resourceId, name, op.Interval);
        for (var n = 1; !conventionalIds.Add(conventional); n++)
        {
            conventional = $"{TextIds.Operation(resourceId, name, op.Interval)}-{n}";
        }
        var id = explicitId ?? conventional;
        var parameters = new List<AttributeSet>();
        var meta = new List<AttributeSet>();
        while (true)
        {
            if (cursor.Accept("params"))
            {
                parameters.Add(ParseSet(cursor, TextIds.Set(id, "instance_attributes", parameters.Count)));
            }
            else if (cursor.Accept("meta"))
            {
                meta.Add(ParseSet(cursor, TextIds.Set(id, "meta_attributes", meta.Count)));
            }
            else
            {
                break;
            }
        }
        if (loose.Count > 0)
        {
            var setId = TextIds.Set(id, "instance_attributes", parameters.Count);
            var pairIds = TextIds.Deduplicate(loose.Select(l => TextIds.Pair(setId, l.Key!)));
            parameters.Add(new AttributeSet(setId, loose.Select((l, i) => new NvPair(pairIds[i], l.Key!, l.Value!)).ToValueList()));
        }
        return op with { Id = id, Params = parameters.ToValueList(), Meta = meta.ToValueList() };
    }

    private static Declared ParsePrimitive(TextCursor cursor, Token keyword)
    {
        var id = cursor.Word("the primitive id");
        cursor.Context = $"primitive {id}";
        var agentToken = cursor.Next("the agent (class:provider:type) or @template");
        ResourceAgent? agent = null;
        string? template = null;
        if (!agentToken.Quoted && agentToken.Text.StartsWith('@'))
        {
            template = agentToken.Text[1..];
        }
        else
        {
            agent = ResourceAgent.TryParse(agentToken.Text, out var parsed, out var error) ? parsed : throw cursor.Error(agentToken, error);
        }
        var parts = ParsePrimitiveParts(cursor, id);
        var primitive = new Primitive(id, agent)
        {
            Template = template,
            Description = parts.Description,
            Params = parts.Params,
            Meta = parts.Meta,
            Utilization = parts.Utilization,
            Operations = parts.Operations,
            OperationsId = parts.OperationsId,
        };
        return new Declared(keyword, "primitive", primitive, []);
    }

    private static ResourceTemplate ParseTemplate(TextCursor cursor)
    {
        var id = cursor.Word("the template id");
        cursor.Context = $"rsc_template {id}";
        var agentToken = cursor.Next("the agent (class:provider:type)");
        var agent = ResourceAgent.TryParse(agentToken.Text, out var parsed, out var error) ? parsed : throw cursor.Error(agentToken, error);
        var parts = ParsePrimitiveParts(cursor, id);
        return new ResourceTemplate(id, agent)
        {
            Description = parts.Description,
            Params = parts.Params,
            Meta = parts.Meta,
            Utilization = parts.Utilization,
            Operations = parts.Operations,
            OperationsId = parts.OperationsId,
        };
    }

    private static readonly string[] BundleKeys = ["image", "replicas", "replicas-per-host", "promoted-max", "run-command", "network", "options", "primitive"];

    /// <summary>group, clone, ms and bundle: children by id, then description, meta and params.</summary>
    private static Declared ParseContainer(TextCursor cursor, Token keyword)
    {
        var kind = keyword.Text;
        var id = cursor.Word($"the {kind} id");
        cursor.Context = $"{kind} {id}";
        var children = new List<Token>();
        var bundleSettings = new Dictionary<string, Token>(StringComparer.Ordinal);
        string? technology = null;
        if (kind == "bundle")
        {
            technology = cursor.Word("the container technology (docker, podman or rkt)");
            while (cursor.Peek() is { IsPair: true } setting && BundleKeys.Contains(setting.Key))
            {
                cursor.Next("");
                bundleSettings[setting.Key!] = setting;
            }
            if (bundleSettings.TryGetValue("primitive", out var child))
            {
                children.Add(child with { Text = child.Value! });
            }
        }
        else
        {
            while (cursor.Peek() is { IsPair: false } child && !child.Is("meta") && !child.Is("params") && !child.Is("(") && !child.Is(")"))
            {
                cursor.Next("");
                children.Add(child);
            }
            if (children.Count == 0)
            {
                throw cursor.Unexpected(cursor.Peek() ?? keyword, kind == "group" ? "the ids of the group's primitives" : "the id of the resource to clone");
            }
            if (kind != "group" && children.Count > 1)
            {
                throw cursor.Error(children[1], $"a {kind} clones one resource (put several in a group first)");
            }
        }
        string? description = null;
        var meta = new List<AttributeSet>();
        var parameters = new List<AttributeSet>();
        while (cursor.Peek() is { } token)
        {
            if (cursor.AcceptPair("description") is { } d)
            {
                description = d.Value;
            }
            else if (cursor.Accept("meta"))
            {
                meta.Add(ParseSet(cursor, TextIds.Set(id, "meta_attributes", meta.Count)));
            }
            else if (cursor.Accept("params"))
            {
                parameters.Add(ParseSet(cursor, TextIds.Set(id, "instance_attributes", parameters.Count)));
            }
            else
            {
                throw cursor.Unexpected(token, "description=, meta or params");
            }
        }
        var metaList = meta.ToValueList();
        if (kind == "ms")
        {
            metaList = PromotableMeta.Mark(metaList, () => TextIds.Set(id, "meta_attributes", 0), setId => TextIds.Pair(setId, ResourceMeta.PromotableName));
        }
        var placeholder = new Primitive(id + "-child", null);
        Resource resource = kind switch
        {
            "group" => new Group(id, []),
            "bundle" => BuildBundle(cursor, keyword, id, technology!, bundleSettings),
            _ => new Clone(id, placeholder),
        };
        resource = resource with { Description = description, Meta = metaList, Params = parameters.ToValueList() };
        return new Declared(keyword, kind == "ms" ? "clone" : kind, resource, children);
    }

    private static Bundle BuildBundle(TextCursor cursor, Token keyword, string id, string technology, Dictionary<string, Token> settings)
    {
        if (!settings.TryGetValue("image", out var image))
        {
            throw cursor.Error(keyword, "a bundle needs image=");
        }
        int? Int(string key) => settings.TryGetValue(key, out var t) ? cursor.IntOf(t) : null;
        string? Text(string key) => settings.TryGetValue(key, out var t) ? t.Value : null;
        return new Bundle(id, technology, image.Value!)
        {
            Replicas = Int("replicas"),
            ReplicasPerHost = Int("replicas-per-host"),
            PromotedMax = Int("promoted-max"),
            RunCommand = Text("run-command"),
            Network = Text("network"),
            Options = Text("options"),
        };
    }
}
