using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Rules;

namespace Tandem.Model.Cib;

/// <summary>Constraints: location, colocation, order, ticket, and their resource sets.</summary>
internal sealed partial class CibReader
{
    private const string ActionNames = "start, stop, promote or demote";

    private ValueList<Constraint> ReadConstraints(CibElement section)
    {
        var constraints = new List<Constraint>();
        foreach (var child in section.Children)
        {
            var e = section.Child(child);
            Constraint? constraint = e.Name switch
            {
                "rsc_location" => ReadLocation(e),
                "rsc_colocation" => ReadColocation(e),
                "rsc_order" => ReadOrder(e),
                "rsc_ticket" => ReadTicket(e),
                _ => null,
            };
            if (constraint is null)
            {
                section.UnknownChild(child, "constraints");
                continue;
            }
            e.Finish();
            constraints.Add(constraint);
        }
        return constraints.ToValueList();
    }

    /// <summary>The resource sets and rules of a constraint; a lifetime is reported, other children are unknown.</summary>
    private (ValueList<ResourceSet> Sets, ValueList<Rule> Rules) ReadConstraintChildren(CibElement e, bool allowRules)
    {
        var sets = new List<ResourceSet>();
        var rules = new List<Rule>();
        foreach (var child in e.Children)
        {
            var c = e.Child(child);
            switch (c.Name)
            {
                case "resource_set":
                    if (ReadResourceSet(c) is { } set)
                    {
                        sets.Add(set);
                    }
                    break;
                case "rule" when allowRules:
                    if (ReadRule(c) is { } rule)
                    {
                        rules.Add(rule);
                    }
                    break;
                case "lifetime":
                    e.Unsupported(child, "constraint lifetimes are deprecated and not supported; not kept");
                    break;
                default:
                    e.UnknownChild(child, e.Name);
                    break;
            }
        }
        return (sets.ToValueList(), rules.ToValueList());
    }

    private ResourceSet? ReadResourceSet(CibElement e) =>
        ReadReferable(e, ReadResourceSetContent, copy => copy with { IdRef = copy.Id });

    private static ResourceSet ReadResourceSetContent(CibElement e)
    {
        var id = e.Id();
        var resources = new List<string>();
        foreach (var child in e.Children)
        {
            if (child.Name.LocalName != "resource_ref")
            {
                e.UnknownChild(child, "resource_set");
                continue;
            }
            var r = e.Child(child);
            resources.Add(r.Id());
            r.Finish();
        }
        if (resources.Count == 0)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} names no resources");
        }
        return new ResourceSet(id, resources.ToValueList())
        {
            Sequential = e.Bool("sequential"),
            RequireAll = e.Bool("require-all"),
            Ordering = e.Attr("ordering"),
            Action = e.Enum<ResourceAction>("action", ConstraintNames.TryParseAction, ActionNames),
            Role = e.Role("role"),
            Score = e.Score(),
            Kind = e.Enum<OrderKind>("kind", ConstraintNames.TryParseKind, "Mandatory, Optional or Serialize"),
        };
    }

    private LocationConstraint ReadLocation(CibElement e)
    {
        var (sets, rules) = ReadConstraintChildren(e, allowRules: true);
        var location = new LocationConstraint(e.Id())
        {
            Resource = e.Attr("rsc"),
            ResourcePattern = e.Attr("rsc-pattern"),
            Sets = sets,
            Role = e.Role("role"),
            Score = e.Score(),
            Node = e.Attr("node"),
            Rules = rules,
            Discovery = e.Enum<ResourceDiscovery>("resource-discovery", ConstraintNames.TryParseDiscovery, "always, never or exclusive"),
        };
        var targets = (location.Resource is null ? 0 : 1) + (location.ResourcePattern is null ? 0 : 1) + (sets.IsEmpty ? 0 : 1);
        if (targets != 1)
        {
            if (targets == 0)
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} names no resource ('rsc', 'rsc-pattern' or a resource set)", code: "missing-attribute");
            }
            else
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} names its resources more than one way (use one of 'rsc', 'rsc-pattern', resource sets)");
            }
        }
        if (location.Node is not null && location.Score is null)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} names node '{location.Node}' but gives no score");
        }
        else if (location.Node is null && rules.IsEmpty)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has neither a node with a score nor rules");
        }
        return location;
    }

    private ColocationConstraint ReadColocation(CibElement e)
    {
        var (sets, _) = ReadConstraintChildren(e, allowRules: false);
        var colocation = new ColocationConstraint(e.Id())
        {
            Score = e.Score(),
            Resource = e.Attr("rsc"),
            WithResource = e.Attr("with-rsc"),
            ResourceRole = e.Role("rsc-role"),
            WithResourceRole = e.Role("with-rsc-role"),
            NodeAttribute = e.Attr("node-attribute"),
            Influence = e.Bool("influence"),
            Sets = sets,
        };
        if (sets.IsEmpty && (colocation.Resource is null || colocation.WithResource is null))
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} needs both 'rsc' and 'with-rsc' (or resource sets)");
        }
        ReportInstanceAttributes(e, "rsc-instance", "with-rsc-instance");
        return colocation;
    }

    private OrderConstraint ReadOrder(CibElement e)
    {
        var (sets, _) = ReadConstraintChildren(e, allowRules: false);
        var order = new OrderConstraint(e.Id())
        {
            First = e.Attr("first"),
            Then = e.Attr("then"),
            FirstAction = e.Enum<ResourceAction>("first-action", ConstraintNames.TryParseAction, ActionNames),
            ThenAction = e.Enum<ResourceAction>("then-action", ConstraintNames.TryParseAction, ActionNames),
            // Pacemaker reads an unknown kind as Mandatory.
            Kind = e.Enum<OrderKind>("kind", ConstraintNames.TryParseKind, "Mandatory, Optional or Serialize", OrderKind.Mandatory),
            Score = e.Score(),
            Symmetrical = e.Bool("symmetrical"),
            RequireAll = e.Bool("require-all"),
            Sets = sets,
        };
        if (sets.IsEmpty && (order.First is null || order.Then is null))
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} needs both 'first' and 'then' (or resource sets)");
        }
        ReportInstanceAttributes(e, "first-instance", "then-instance");
        return order;
    }

    private TicketConstraint ReadTicket(CibElement e)
    {
        var (sets, _) = ReadConstraintChildren(e, allowRules: false);
        var ticket = new TicketConstraint(e.Id(), e.Required("ticket"))
        {
            Resource = e.Attr("rsc"),
            ResourceRole = e.Role("rsc-role"),
            LossPolicy = e.Attr("loss-policy"),
            Sets = sets,
        };
        e.Report(DiagnosticSeverity.Unsupported, $"unsupported element {e.Display} in constraints: tickets (multi-site clusters) are not supported yet; kept, not enforced", code: "unsupported-ticket");
        return ticket;
    }

    // Pacemaker 1.x could pin a constraint to one clone instance; Pacemaker 2 dropped it.
    private static void ReportInstanceAttributes(CibElement e, params string[] names)
    {
        foreach (var name in names)
        {
            if (e.Attr(name) is { } value)
            {
                e.Report(DiagnosticSeverity.Unsupported, $"attribute '{name}=\"{value}\"' on {e.Display} (clone instance pinning, removed in Pacemaker 2) is not supported; ignored", code: "unsupported-attribute");
            }
        }
    }
}
