using System.Globalization;
using System.Xml.Linq;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;
using Tandem.Model.Rules;

namespace Tandem.Model.Cib;

/// <summary>
/// Writes the model as Pacemaker CIB XML (schema pacemaker-3.7, what Pacemaker 2.1.5 writes), so that
/// Pacemaker's tools (crm_simulate, crm_verify, cibadmin) read what Tandem holds. Reading the output
/// back gives the same model.
/// </summary>
public static class CibExport
{
    public const string SchemaVersion = "pacemaker-3.7";

    /// <summary>
    /// The whole &lt;cib&gt; document. The root carries <paramref name="header"/>'s attributes (or a
    /// fresh version 0.0.0 when absent); <paramref name="status"/> is copied in when given.
    /// </summary>
    public static XElement ToXml(ClusterConfiguration configuration, CibHeader? header = null, XElement? status = null)
    {
        var root = new XElement("cib");
        if (header is null || header.Attributes.IsEmpty)
        {
            root.Add(new XAttribute("admin_epoch", "0"), new XAttribute("epoch", "0"), new XAttribute("num_updates", "0"),
                new XAttribute("validate-with", SchemaVersion));
        }
        else
        {
            root.Add(header.Attributes.Select(a => new XAttribute(a.Key, a.Value)));
        }
        root.Add(ConfigurationXml(configuration), status is null ? new XElement("status") : new XElement(status));
        return root;
    }

    public static string ToText(ClusterConfiguration configuration, CibHeader? header = null, XElement? status = null) =>
        ToXml(configuration, header, status).ToString() + "\n";

    public static XElement ConfigurationXml(ClusterConfiguration c)
    {
        var configuration = new XElement("configuration",
            new XElement("crm_config", c.Properties.Select(s => SetXml("cluster_property_set", s))),
            new XElement("nodes", c.Nodes.Select(NodeXml)),
            new XElement("resources", c.Templates.Select(TemplateXml), c.Resources.Select(ResourceXml)),
            new XElement("constraints", c.Constraints.Select(ConstraintXml)));
        if (!c.ResourceDefaults.IsEmpty)
        {
            configuration.Add(new XElement("rsc_defaults", c.ResourceDefaults.Select(s => SetXml("meta_attributes", s))));
        }
        if (!c.OperationDefaults.IsEmpty)
        {
            configuration.Add(new XElement("op_defaults", c.OperationDefaults.Select(s => SetXml("meta_attributes", s))));
        }
        if (!c.FencingTopology.IsEmpty)
        {
            configuration.Add(new XElement("fencing-topology", c.FencingTopology.Select(FencingLevelXml)));
        }
        if (!c.Tags.IsEmpty)
        {
            configuration.Add(new XElement("tags", c.Tags.Select(t =>
                new XElement("tag", new XAttribute("id", t.Id), t.References.Select(r => new XElement("obj_ref", new XAttribute("id", r)))))));
        }
        return configuration;
    }

    /// <summary>An attribute only when the value is present; XElement skips nulls.</summary>
    private static XAttribute? Attr(string name, object? value) => value switch
    {
        null => null,
        bool b => new XAttribute(name, Booleans.ToName(b)),
        IFormattable f => new XAttribute(name, f.ToString(null, CultureInfo.InvariantCulture)),
        _ => new XAttribute(name, value.ToString()!),
    };

    private static XElement SetXml(string name, AttributeSet set)
    {
        if (set.IdRef is not null)
        {
            return new XElement(name, Attr("id-ref", set.IdRef));
        }
        return new XElement(name, Attr("id", set.Id), Attr("score", set.Score),
            set.Rule is null ? null : RuleXml(set.Rule),
            set.Pairs.Select(p => p.IdRef is not null
                ? new XElement("nvpair", Attr("id-ref", p.IdRef), Attr("name", p.Name))
                : new XElement("nvpair", Attr("id", p.Id), Attr("name", p.Name), Attr("value", p.Value))));
    }

    private static IEnumerable<XElement> SetsXml(string name, ValueList<AttributeSet> sets) => sets.Select(s => SetXml(name, s));

    private static XElement RuleXml(Rule rule)
    {
        if (rule.IdRef is not null)
        {
            return new XElement("rule", Attr("id-ref", rule.IdRef));
        }
        return new XElement("rule", Attr("id", rule.Id), Attr("score", rule.Score), Attr("score-attribute", rule.ScoreAttribute),
            Attr("boolean-op", rule.BooleanOp == BooleanOperator.And ? null : "or"),
            Attr("role", rule.Role),
            rule.Expressions.Select(ExpressionXml));
    }

    private static XElement ExpressionXml(RuleExpression expression) => expression switch
    {
        Rule rule => RuleXml(rule),
        AttributeExpression e => new XElement("expression", Attr("id", e.Id), Attr("attribute", e.Attribute),
            Attr("operation", e.Operation.ToName()), Attr("value", e.Value), Attr("type", e.Type?.ToString().ToLowerInvariant()),
            Attr("value-source", e.ValueSource == ValueSource.Literal ? null : e.ValueSource.ToString().ToLowerInvariant())),
        DateExpression e => new XElement("date_expression", Attr("id", e.Id), Attr("operation", DateOperationName(e.Operation)),
            Attr("start", e.Start), Attr("end", e.End),
            e.Duration is null ? null : DateSpecXml("duration", e.Duration),
            e.Spec is null ? null : DateSpecXml("date_spec", e.Spec)),
        ResourceExpression e => new XElement("rsc_expression", Attr("id", e.Id), Attr("class", e.Class), Attr("provider", e.Provider), Attr("type", e.Type)),
        OperationExpression e => new XElement("op_expression", Attr("id", e.Id), Attr("name", e.Name), Attr("interval", e.Interval)),
        _ => throw new ArgumentException($"unknown rule expression {expression.GetType().Name}", nameof(expression)),
    };

    private static string DateOperationName(DateOperation operation) => operation switch
    {
        DateOperation.InRange => "in_range",
        DateOperation.DateSpec => "date_spec",
        _ => operation.ToString().ToLowerInvariant(),
    };

    private static XElement DateSpecXml(string name, DateSpec spec) =>
        new(name, Attr("id", spec.Id), Attr("hours", spec.Hours), Attr("minutes", spec.Minutes), Attr("seconds", spec.Seconds),
            Attr("monthdays", spec.Monthdays), Attr("weekdays", spec.Weekdays), Attr("yeardays", spec.Yeardays),
            Attr("yearsdays", spec.Yearsdays), Attr("months", spec.Months), Attr("weeks", spec.Weeks), Attr("years", spec.Years),
            Attr("weekyears", spec.Weekyears), Attr("moon", spec.Moon));

    private static XElement NodeXml(Node node) =>
        new("node", Attr("id", node.Id), Attr("uname", node.Uname), Attr("type", node.Type?.ToString().ToLowerInvariant()),
            Attr("description", node.Description), Attr("score", node.Score),
            SetsXml("instance_attributes", node.Attributes), SetsXml("utilization", node.Utilization));

    private static IEnumerable<XAttribute?> AgentAttributes(ResourceAgent? agent) =>
        agent is null ? [] : [Attr("class", agent.Class), Attr("provider", agent.Provider), Attr("type", agent.Type)];

    private static XElement? OperationsXml(ValueList<Operation> operations, string? id, string? idRef)
    {
        if (idRef is not null)
        {
            return new XElement("operations", Attr("id-ref", idRef));
        }
        return operations.IsEmpty && id is null ? null : new XElement("operations", Attr("id", id), operations.Select(OperationXml));
    }

    private static XElement OperationXml(Operation op) =>
        new("op", Attr("id", op.Id), Attr("name", op.Name), Attr("interval", op.Interval), Attr("description", op.Description),
            Attr("start-delay", op.StartDelay), Attr("interval-origin", op.IntervalOrigin), Attr("timeout", op.Timeout),
            Attr("enabled", op.Enabled), Attr("record-pending", op.RecordPending), Attr("role", op.Role),
            Attr("on-fail", op.OnFail?.ToName()), Attr("requires", op.Requires),
            SetsXml("meta_attributes", op.Meta), SetsXml("instance_attributes", op.Params));

    private static XElement TemplateXml(ResourceTemplate t) =>
        new("template", Attr("id", t.Id), AgentAttributes(t.Agent), Attr("description", t.Description),
            SetsXml("instance_attributes", t.Params), SetsXml("meta_attributes", t.Meta), SetsXml("utilization", t.Utilization),
            OperationsXml(t.Operations, t.OperationsId, null));

    public static XElement ResourceXml(Resource resource) => resource switch
    {
        Primitive p => new XElement("primitive", Attr("id", p.Id), AgentAttributes(p.Agent), Attr("template", p.Template),
            Attr("description", p.Description),
            SetsXml("instance_attributes", p.Params), SetsXml("meta_attributes", p.Meta), SetsXml("utilization", p.Utilization),
            OperationsXml(p.Operations, p.OperationsId, p.OperationsIdRef)),
        Group g => new XElement("group", Attr("id", g.Id), Attr("description", g.Description),
            SetsXml("meta_attributes", g.Meta), SetsXml("instance_attributes", g.Params), g.Members.Select(ResourceXml)),
        Clone c => new XElement("clone", Attr("id", c.Id), Attr("description", c.Description),
            SetsXml("meta_attributes", c.Meta), SetsXml("instance_attributes", c.Params), ResourceXml(c.Child)),
        Bundle b => new XElement("bundle", Attr("id", b.Id), Attr("description", b.Description),
            SetsXml("meta_attributes", b.Meta), SetsXml("instance_attributes", b.Params),
            new XElement(b.ContainerTechnology, Attr("image", b.Image), Attr("replicas", b.Replicas),
                Attr("replicas-per-host", b.ReplicasPerHost), Attr("promoted-max", b.PromotedMax),
                Attr("run-command", b.RunCommand), Attr("network", b.Network), Attr("options", b.Options)),
            b.Primitive is null ? null : ResourceXml(b.Primitive)),
        _ => throw new ArgumentException($"unknown resource kind {resource.GetType().Name}", nameof(resource)),
    };

    private static XElement ResourceSetXml(ResourceSet set)
    {
        if (set.IdRef is not null)
        {
            return new XElement("resource_set", Attr("id-ref", set.IdRef));
        }
        return new XElement("resource_set", Attr("id", set.Id), Attr("sequential", set.Sequential), Attr("require-all", set.RequireAll),
            Attr("ordering", set.Ordering), Attr("action", set.Action?.ToName()), Attr("role", set.Role), Attr("score", set.Score),
            Attr("kind", set.Kind), set.Resources.Select(r => new XElement("resource_ref", Attr("id", r))));
    }

    public static XElement ConstraintXml(Constraint constraint) => constraint switch
    {
        LocationConstraint l => new XElement("rsc_location", Attr("id", l.Id), Attr("rsc", l.Resource), Attr("rsc-pattern", l.ResourcePattern),
            Attr("role", l.Role), Attr("score", l.Score), Attr("node", l.Node), Attr("resource-discovery", l.Discovery?.ToName()),
            l.Sets.Select(ResourceSetXml), l.Rules.Select(RuleXml)),
        ColocationConstraint c => new XElement("rsc_colocation", Attr("id", c.Id), Attr("score", c.Score), Attr("rsc", c.Resource),
            Attr("with-rsc", c.WithResource), Attr("rsc-role", c.ResourceRole), Attr("with-rsc-role", c.WithResourceRole),
            Attr("node-attribute", c.NodeAttribute), Attr("influence", c.Influence), c.Sets.Select(ResourceSetXml)),
        OrderConstraint o => new XElement("rsc_order", Attr("id", o.Id), Attr("first", o.First), Attr("first-action", o.FirstAction?.ToName()),
            Attr("then", o.Then), Attr("then-action", o.ThenAction?.ToName()), Attr("kind", o.Kind), Attr("score", o.Score),
            Attr("symmetrical", o.Symmetrical), Attr("require-all", o.RequireAll), o.Sets.Select(ResourceSetXml)),
        TicketConstraint t => new XElement("rsc_ticket", Attr("id", t.Id), Attr("ticket", t.Ticket), Attr("rsc", t.Resource),
            Attr("rsc-role", t.ResourceRole), Attr("loss-policy", t.LossPolicy), t.Sets.Select(ResourceSetXml)),
        _ => throw new ArgumentException($"unknown constraint kind {constraint.GetType().Name}", nameof(constraint)),
    };

    private static XElement FencingLevelXml(FencingLevel level) =>
        new("fencing-level", Attr("id", level.Id), Attr("index", level.Index), Attr("target", level.Target),
            Attr("target-pattern", level.TargetPattern), Attr("target-attribute", level.TargetAttribute),
            Attr("target-value", level.TargetValue), Attr("devices", string.Join(',', level.Devices)));
}
