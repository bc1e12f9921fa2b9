using System.Text;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;
using static Tandem.Model.Text.TextTokenizer;

namespace Tandem.Model.Text;

/// <summary>
/// Prints the model as crm-like text (what <c>crm configure show</c> prints, in Tandem's spelling:
/// Promoted/Unpromoted roles, promotable clones as <c>clone ... meta promotable=true</c>).
/// <see cref="TextParser"/> reads it back to the same model, with three exceptions kept out of the
/// text: ids of name/value pairs, expressions and date specs (always conventional in text), id
/// references (printed as copies), and pairs without a value (printed with an empty value).
/// </summary>
public static class TextPrinter
{
    private const string Break = " \\\n\t";

    public static string Print(ClusterConfiguration configuration)
    {
        var statements = new List<string>();
        statements.AddRange(configuration.Nodes.Select(NodeText));
        statements.AddRange(configuration.Templates.Select(TemplateText));
        foreach (var resource in configuration.Resources)
        {
            AddResource(resource, statements);
        }
        statements.AddRange(configuration.Constraints.Select(ConstraintText));
        statements.AddRange(configuration.Tags.Select(t => $"tag {Quote(t.Id)}: {string.Join(' ', t.References.Select(Quote))}"));
        statements.AddRange(configuration.FencingTopology.Select(FencingLevelText));
        statements.AddRange(TopLevelSets("property", configuration.Properties, TextIds.PropertySet));
        statements.AddRange(TopLevelSets("rsc_defaults", configuration.ResourceDefaults, TextIds.ResourceDefaultsSet));
        statements.AddRange(TopLevelSets("op_defaults", configuration.OperationDefaults, TextIds.OperationDefaultsSet));
        return statements.Count == 0 ? "" : string.Join('\n', statements) + "\n";
    }

    // Children are printed before their container, so that every statement names only defined resources.
    private static void AddResource(Resource resource, List<string> statements)
    {
        switch (resource)
        {
            case Primitive p:
                statements.Add(PrimitiveText("primitive", p.Id, p.Template is not null ? "@" + p.Template : AgentText(p.Agent),
                    p.Description, p.Params, p.Meta, p.Utilization, p.Operations, p.OperationsId, p.OperationsIdRef is not null));
                break;
            case Group g:
                foreach (var member in g.Members)
                {
                    AddResource(member, statements);
                }
                statements.Add(ContainerText($"group {Quote(g.Id)} {string.Join(' ', g.Members.Select(m => Quote(m.Id)))}", g));
                break;
            case Clone c:
                AddResource(c.Child, statements);
                statements.Add(ContainerText($"clone {Quote(c.Id)} {Quote(c.Child.Id)}", c));
                break;
            case Bundle b:
                if (b.Primitive is not null)
                {
                    AddResource(b.Primitive, statements);
                }
                var head = new StringBuilder($"bundle {Quote(b.Id)} {Quote(b.ContainerTechnology)} {Pair("image", b.Image)}");
                AppendPair(head, "replicas", b.Replicas);
                AppendPair(head, "replicas-per-host", b.ReplicasPerHost);
                AppendPair(head, "promoted-max", b.PromotedMax);
                AppendPair(head, "run-command", b.RunCommand);
                AppendPair(head, "network", b.Network);
                AppendPair(head, "options", b.Options);
                AppendPair(head, "primitive", b.Primitive?.Id);
                statements.Add(ContainerText(head.ToString(), b));
                break;
            default:
                throw new ArgumentException($"unknown resource kind {resource.GetType().Name}", nameof(resource));
        }
    }

    private static string AgentText(ResourceAgent? agent) => agent is null ? "\"\"" : Quote(agent.ToString());

    private static void AppendPair(StringBuilder text, string key, object? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(Pair(key, Format(value)));
        }
    }

    private static string Format(object value) => value switch
    {
        bool b => Booleans.ToName(b),
        Role r => r.ToName(),
        ResourceAction a => a.ToName(),
        ResourceDiscovery d => d.ToName(),
        OnFail f => f.ToName(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static string ContainerText(string head, Resource resource)
    {
        var text = new StringBuilder(head);
        AppendPair(text, "description", resource.Description);
        AppendSets(text, "meta", resource.Meta, i => TextIds.Set(resource.Id, "meta_attributes", i));
        AppendSets(text, "params", resource.Params, i => TextIds.Set(resource.Id, "instance_attributes", i));
        return text.ToString();
    }

    private static string PrimitiveText(string keyword, string id, string agent, string? description,
        ValueList<AttributeSet> parameters, ValueList<AttributeSet> meta, ValueList<AttributeSet> utilization,
        ValueList<Operation> operations, string? operationsId, bool operationsCopied)
    {
        var text = new StringBuilder($"{keyword} {Quote(id)} {agent}");
        AppendPair(text, "description", description);
        AppendSets(text, "params", parameters, i => TextIds.Set(id, "instance_attributes", i));
        AppendSets(text, "meta", meta, i => TextIds.Set(id, "meta_attributes", i));
        AppendSets(text, "utilization", utilization, i => TextIds.Set(id, "utilization", i));
        if (operationsId is not null && !operationsCopied)
        {
            text.Append(Break).Append("operations $id=").Append(Quote(operationsId));
        }
        var conventional = TextIds.Deduplicate(operations.Select(op => TextIds.Operation(id, op.Name, op.Interval)));
        for (var i = 0; i < operations.Count; i++)
        {
            text.Append(Break).Append(OperationText(operations[i], conventional[i], operationsCopied));
        }
        return text.ToString();
    }

    // A copy (ops taken through an id reference) leaves its ids to the parser, so that they do not clash with the original's.
    private static string OperationText(Operation op, string conventionalId, bool copy)
    {
        var text = new StringBuilder($"op {Quote(op.Name)}");
        var id = copy ? conventionalId : op.Id;
        if (id != conventionalId)
        {
            text.Append(" $id=").Append(Quote(id));
        }
        AppendPair(text, "interval", op.Interval);
        AppendPair(text, "timeout", op.Timeout);
        AppendPair(text, "role", op.Role);
        AppendPair(text, "on-fail", op.OnFail);
        AppendPair(text, "start-delay", op.StartDelay);
        AppendPair(text, "interval-origin", op.IntervalOrigin);
        AppendPair(text, "record-pending", op.RecordPending);
        AppendPair(text, "enabled", op.Enabled);
        AppendPair(text, "requires", op.Requires);
        AppendPair(text, "description", op.Description);
        AppendSets(text, "params", op.Params, i => TextIds.Set(id, "instance_attributes", i), inline: true, copy);
        AppendSets(text, "meta", op.Meta, i => TextIds.Set(id, "meta_attributes", i), inline: true, copy);
        return text.ToString();
    }

    private static string TemplateText(ResourceTemplate t) =>
        PrimitiveText("rsc_template", t.Id, AgentText(t.Agent), t.Description, t.Params, t.Meta, t.Utilization, t.Operations, t.OperationsId, false);

    private static void AppendSets(StringBuilder text, string keyword, ValueList<AttributeSet> sets, Func<int, string> conventionalId,
        bool inline = false, bool copy = false)
    {
        for (var i = 0; i < sets.Count; i++)
        {
            text.Append(inline ? " " : Break).Append(SetText(keyword, sets[i], conventionalId(i), " ", copy));
        }
    }

    /// <summary>"params [$id=x] [$score=n] [rule ...] a=1 b=2". A copy (through id-ref) gets conventional ids throughout.</summary>
    private static string SetText(string keyword, AttributeSet set, string conventionalId, string pairSeparator, bool copy)
    {
        var text = new StringBuilder(keyword);
        copy |= set.IdRef is not null;
        var id = copy ? conventionalId : set.Id;
        if (id != conventionalId)
        {
            text.Append(" $id=").Append(Quote(id));
        }
        if (set.Score is { } score)
        {
            text.Append(" $score=").Append(score);
        }
        if (set.Rule is not null)
        {
            text.Append(' ').Append(RuleText(set.Rule, TextIds.SetRule(id), copy));
        }
        foreach (var pair in set.Pairs)
        {
            text.Append(pairSeparator).Append(Pair(pair.Name, pair.Value ?? ""));
        }
        return text.ToString();
    }

    private static IEnumerable<string> TopLevelSets(string keyword, ValueList<AttributeSet> sets, string baseId) =>
        sets.Select(set =>
        {
            // The id is always written for these blocks ("property cib-bootstrap-options: ..."), as crmsh does.
            var body = SetText("", set with { IdRef = null }, set.Id, Break, copy: false);
            return Quote(set.Id) == set.Id ? $"{keyword} {set.Id}:{body}" : $"{keyword} $id={Quote(set.Id)}{body}";
        });

    private static string RuleText(Rule rule, string conventionalId, bool copy) => "rule" + RuleBody(rule, conventionalId, copy);

    /// <summary>" [$id=] [$role=] [$boolean-op=or] [score:] [$score-attribute=] expressions", each part with a leading space.</summary>
    private static string RuleBody(Rule rule, string conventionalId, bool copy)
    {
        var text = new StringBuilder();
        copy |= rule.IdRef is not null;
        var id = copy ? conventionalId : rule.Id;
        if (id != conventionalId)
        {
            text.Append(" $id=").Append(Quote(id));
        }
        if (rule.Role is { } role)
        {
            text.Append(" $role=").Append(role.ToName());
        }
        if (rule.BooleanOp == BooleanOperator.Or && rule.Expressions.Count < 2)
        {
            text.Append(" $boolean-op=or");
        }
        if (rule.Score is { } score)
        {
            text.Append(' ').Append(ScoreLabel(score));
        }
        if (rule.ScoreAttribute is { } attribute)
        {
            // "pingd:" names the attribute holding the score, as in crmsh, when that cannot be read as a score.
            var bare = rule.Score is null && Quote(attribute) == attribute && !Score.TryParse(attribute, out _, out _);
            text.Append(bare ? $" {attribute}:" : $" $score-attribute={Quote(attribute)}");
        }
        var joiner = rule.BooleanOp == BooleanOperator.Or ? " or " : " and ";
        var body = string.Join(joiner, rule.Expressions.Select((e, i) => ExpressionText(e, TextIds.Expression(id, i), copy)));
        if (body.Length > 0)
        {
            text.Append(' ').Append(body);
        }
        return text.ToString();
    }

    private static string ScoreLabel(Score score) =>
        (score.IsInfinity ? "inf" : score.IsMinusInfinity ? "-inf" : score.ToString()) + ":";

    private static readonly HashSet<string> ExpressionKeywords = new(StringComparer.Ordinal)
    {
        "defined", "not_defined", "date", "rsc", "op", "and", "or", "rule", "(", ")",
    };

    private static string Attribute(string name) =>
        name.StartsWith('#') && !name.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '=') && name[^1] != ':'
            ? name
            : ExpressionKeywords.Contains(name) ? $"\"{name}\"" : Quote(name);

    private static string ExpressionText(RuleExpression expression, string conventionalId, bool copy) => expression switch
    {
        Rule nested => "(" + RuleBody(nested, conventionalId, copy) + " )",
        AttributeExpression e when !e.Operation.TakesValue() && e.Value is null && e.Type is null && e.ValueSource == ValueSource.Literal =>
            $"{e.Operation.ToName()} {Attribute(e.Attribute)}",
        AttributeExpression e => $"{Attribute(e.Attribute)} {OperatorText(e)} {ValueWord(e.Value ?? "")}",
        DateExpression e => DateText(e, conventionalId),
        ResourceExpression e => $"rsc {Quote($"{e.Class}:{e.Provider}:{e.Type}")}",
        OperationExpression e => $"op {Quote(e.Interval is { } interval ? $"{e.Name}:{interval}" : e.Name)}",
        _ => throw new ArgumentException($"unknown rule expression {expression.GetType().Name}", nameof(expression)),
    };

    private static string OperatorText(AttributeExpression e)
    {
        var prefix = e.Type is { } type ? type.ToString().ToLowerInvariant() + ":" : "";
        if (e.ValueSource != ValueSource.Literal)
        {
            prefix += e.ValueSource.ToString().ToLowerInvariant() + ":";
        }
        return prefix + e.Operation.ToName();
    }

    // Values are ordinary words, except that they must not look like the end of the rule.
    private static string ValueWord(string value) =>
        value is "and" or "or" or "rule" ? $"\"{value}\"" : Quote(value);

    private static string DateText(DateExpression e, string id)
    {
        var text = new StringBuilder("date ").Append(e.Operation switch
        {
            DateOperation.InRange => "in_range",
            DateOperation.DateSpec => "date_spec",
            _ => e.Operation.ToString().ToLowerInvariant(),
        });
        AppendPair(text, "start", e.Start);
        AppendPair(text, "end", e.End);
        if (e.Duration is not null)
        {
            text.Append(" duration").Append(DateSpecFields(e.Duration));
        }
        if (e.Spec is not null)
        {
            text.Append(" spec").Append(DateSpecFields(e.Spec));
        }
        return text.ToString();
    }

    private static string DateSpecFields(DateSpec spec)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in DateSpecs.Fields(spec))
        {
            if (value is not null)
            {
                text.Append(' ').Append(Pair(name, value));
            }
        }
        return text.ToString();
    }

    private static string NodeText(Node node)
    {
        var text = new StringBuilder("node ");
        if (node.Id != node.Uname)
        {
            text.Append(Quote(node.Id) == node.Id ? $"{node.Id}: " : $"$id={Quote(node.Id)} ");
        }
        text.Append(Quote(node.Uname));
        AppendPair(text, "type", node.Type?.ToString().ToLowerInvariant());
        AppendPair(text, "score", node.Score);
        AppendPair(text, "description", node.Description);
        AppendSets(text, "attributes", node.Attributes, i => TextIds.NodeAttributes(node.Id, i));
        AppendSets(text, "utilization", node.Utilization, i => TextIds.NodeUtilization(node.Id, i));
        return text.ToString();
    }

    private static string ConstraintText(Constraint constraint) => constraint switch
    {
        LocationConstraint l => LocationText(l),
        ColocationConstraint c => ColocationText(c),
        OrderConstraint o => OrderText(o),
        TicketConstraint t => TicketText(t),
        _ => throw new ArgumentException($"unknown constraint kind {constraint.GetType().Name}", nameof(constraint)),
    };

    private static string SetsText(string constraintId, ValueList<ResourceSet> sets) =>
        string.Concat(sets.Select((s, i) => " " + ResourceSetText(s, TextIds.ResourceSet(constraintId, i))));

    private static string ResourceSetText(ResourceSet set, string conventionalId)
    {
        var text = new StringBuilder("(");
        var id = set.IdRef is null ? set.Id : conventionalId;
        if (id != conventionalId)
        {
            text.Append(" $id=").Append(Quote(id));
        }
        AppendPair(text, "sequential", set.Sequential);
        AppendPair(text, "require-all", set.RequireAll);
        AppendPair(text, "ordering", set.Ordering);
        AppendPair(text, "action", set.Action);
        AppendPair(text, "role", set.Role);
        AppendPair(text, "score", set.Score);
        AppendPair(text, "kind", set.Kind);
        foreach (var resource in set.Resources)
        {
            text.Append(' ').Append(Quote(resource));
        }
        return text.Append(" )").ToString();
    }

    private static string LocationText(LocationConstraint l)
    {
        var text = new StringBuilder($"location {Quote(l.Id)}");
        if (l.Resource is not null)
        {
            text.Append(' ').Append(Quote(l.Resource));
        }
        if (l.ResourcePattern is not null)
        {
            var pattern = "/" + l.ResourcePattern + "/";
            text.Append(' ').Append(pattern.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\') ? Quote(pattern) : pattern);
        }
        text.Append(SetsText(l.Id, l.Sets));
        AppendPair(text, "role", l.Role);
        AppendPair(text, "resource-discovery", l.Discovery);
        if (l.Score is { } score)
        {
            text.Append(' ').Append(ScoreLabel(score));
        }
        if (l.Node is not null)
        {
            text.Append(' ').Append(l.Score is null ? "$node=" + Quote(l.Node) : Quote(l.Node));
        }
        for (var i = 0; i < l.Rules.Count; i++)
        {
            text.Append(Break).Append(RuleText(l.Rules[i], TextIds.LocationRule(l.Id, i), copy: false));
        }
        return text.ToString();
    }

    private static string WithRole(string resource, Role? role) => Quote(resource) + (role is { } r ? ":" + r.ToName() : "");

    private static string ColocationText(ColocationConstraint c)
    {
        var text = new StringBuilder($"colocation {Quote(c.Id)}");
        if (c.Score is { } score)
        {
            text.Append(' ').Append(ScoreLabel(score));
        }
        AppendEnds(text, "rsc", c.Resource is null ? null : WithRole(c.Resource, c.ResourceRole),
            "with-rsc", c.WithResource is null ? null : WithRole(c.WithResource, c.WithResourceRole));
        text.Append(SetsText(c.Id, c.Sets));
        AppendPair(text, "node-attribute", c.NodeAttribute);
        AppendPair(text, "influence", c.Influence);
        return text.ToString();
    }

    /// <summary>The two ends of a colocation or order: "A B" as crm writes them, or "$rsc=A" when one is missing.</summary>
    private static void AppendEnds(StringBuilder text, string firstKey, string? first, string thenKey, string? then)
    {
        if (first is not null && then is not null)
        {
            text.Append(' ').Append(first).Append(' ').Append(then);
            return;
        }
        if (first is not null)
        {
            text.Append(" $").Append(firstKey).Append('=').Append(first);
        }
        if (then is not null)
        {
            text.Append(" $").Append(thenKey).Append('=').Append(then);
        }
    }

    private static string OrderText(OrderConstraint o)
    {
        var text = new StringBuilder($"order {Quote(o.Id)}");
        if (o.Kind is { } kind)
        {
            text.Append(' ').Append(kind).Append(':');
        }
        else if (o.Score is { } score)
        {
            text.Append(' ').Append(ScoreLabel(score));
        }
        AppendEnds(text, "first", o.First is null ? null : Quote(o.First) + (o.FirstAction is { } a ? ":" + a.ToName() : ""),
            "then", o.Then is null ? null : Quote(o.Then) + (o.ThenAction is { } b ? ":" + b.ToName() : ""));
        text.Append(SetsText(o.Id, o.Sets));
        AppendPair(text, "symmetrical", o.Symmetrical);
        AppendPair(text, "require-all", o.RequireAll);
        if (o.Kind is not null)
        {
            AppendPair(text, "score", o.Score);
        }
        return text.ToString();
    }

    private static string TicketText(TicketConstraint t)
    {
        var text = new StringBuilder($"rsc_ticket {Quote(t.Id)} ");
        text.Append(Quote(t.Ticket) == t.Ticket ? t.Ticket + ":" : "$ticket=" + Quote(t.Ticket));
        if (t.Resource is not null)
        {
            text.Append(' ').Append(WithRole(t.Resource, t.ResourceRole));
        }
        text.Append(SetsText(t.Id, t.Sets));
        AppendPair(text, "loss-policy", t.LossPolicy);
        return text.ToString();
    }

    private static string FencingLevelText(FencingLevel level)
    {
        var text = new StringBuilder($"fencing_level {Quote(level.Id)} index={level.Index}");
        AppendPair(text, "target", level.Target);
        AppendPair(text, "target-pattern", level.TargetPattern);
        AppendPair(text, "target-attribute", level.TargetAttribute);
        AppendPair(text, "target-value", level.TargetValue);
        AppendPair(text, "devices", string.Join(',', level.Devices));
        return text.ToString();
    }
}
