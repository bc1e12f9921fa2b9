using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;
using Tandem.Model.Rules;

namespace Tandem.Model.Validation;

/// <summary>
/// Every element id is unique in the configuration (Pacemaker's ids are XML IDs), and node ids and
/// names are unique among nodes. Copies made through id references share their original's ids and are
/// not counted twice.
/// </summary>
internal static class IdChecks
{
    public static void Check(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string id, string what, string path)
        {
            if (owners.TryGetValue(id, out var first))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, path,
                    $"id '{id}' is used twice, by {first} and by {what}: ids must be unique") { Code = "duplicate-id" });
            }
            else
            {
                owners[id] = what;
            }
        }
        void Sets(ValueList<AttributeSet> sets, string path)
        {
            foreach (var set in sets.Where(s => s.IdRef is null))
            {
                Claim(set.Id, $"attribute block '{set.Id}'", path);
                foreach (var pair in set.Pairs.Where(p => p.IdRef is null))
                {
                    Claim(pair.Id, $"the {pair.Name} pair of '{set.Id}'", path);
                }
                if (set.Rule is not null)
                {
                    Rule(set.Rule, path);
                }
            }
        }
        void Rule(Rule rule, string path)
        {
            if (rule.IdRef is not null)
            {
                return;
            }
            Claim(rule.Id, $"rule '{rule.Id}'", path);
            foreach (var expression in rule.Expressions)
            {
                if (expression is Rule nested)
                {
                    Rule(nested, path);
                    continue;
                }
                Claim(expression.Id, $"expression '{expression.Id}'", path);
                if (expression is DateExpression date)
                {
                    foreach (var spec in new[] { date.Duration, date.Spec }.OfType<DateSpec>())
                    {
                        Claim(spec.Id, $"date spec '{spec.Id}'", path);
                    }
                }
            }
        }
        void Operations(ValueList<Operation> operations, bool copied, string path)
        {
            if (copied)
            {
                return;
            }
            foreach (var op in operations)
            {
                Claim(op.Id, $"operation '{op.Id}'", path);
                Sets(op.Params, path);
                Sets(op.Meta, path);
            }
        }

        Sets(c.Properties, "crm_config");
        Sets(c.ResourceDefaults, "rsc_defaults");
        Sets(c.OperationDefaults, "op_defaults");
        var nodeIds = new HashSet<string>(StringComparer.Ordinal);
        var unames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in c.Nodes)
        {
            var path = $"nodes/node[id={node.Id}]";
            if (!nodeIds.Add(node.Id))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, path, $"two nodes have the id '{node.Id}'") { Code = "duplicate-id" });
            }
            if (!unames.Add(node.Uname))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, path, $"two nodes are named '{node.Uname}'") { Code = "duplicate-node-name" });
            }
            Sets(node.Attributes, path);
            Sets(node.Utilization, path);
        }
        foreach (var template in c.Templates)
        {
            var path = $"resources/template[id={template.Id}]";
            Claim(template.Id, $"template '{template.Id}'", path);
            Sets(template.Params, path);
            Sets(template.Meta, path);
            Sets(template.Utilization, path);
            Operations(template.Operations, false, path);
        }
        foreach (var resource in c.AllResources)
        {
            var path = Paths.Of(resource);
            Claim(resource.Id, $"{Paths.Kind(resource)} '{resource.Id}'", path);
            Sets(resource.Params, path);
            Sets(resource.Meta, path);
            if (resource is Primitive p)
            {
                Sets(p.Utilization, path);
                if (p.OperationsId is { } opsId && p.OperationsIdRef is null)
                {
                    Claim(opsId, $"the operations of '{p.Id}'", path);
                }
                Operations(p.Operations, p.OperationsIdRef is not null, path);
            }
        }
        foreach (var constraint in c.Constraints)
        {
            var path = Paths.Of(constraint);
            Claim(constraint.Id, $"{Paths.Kind(constraint)} '{constraint.Id}'", path);
            var sets = constraint switch
            {
                LocationConstraint l => l.Sets,
                ColocationConstraint col => col.Sets,
                OrderConstraint o => o.Sets,
                TicketConstraint t => t.Sets,
                _ => [],
            };
            foreach (var set in sets.Where(s => s.IdRef is null))
            {
                Claim(set.Id, $"resource set '{set.Id}'", path);
            }
            if (constraint is LocationConstraint location)
            {
                foreach (var rule in location.Rules)
                {
                    Rule(rule, path);
                }
            }
        }
        foreach (var tag in c.Tags)
        {
            Claim(tag.Id, $"tag '{tag.Id}'", $"tags/tag[id={tag.Id}]");
        }
        foreach (var level in c.FencingTopology)
        {
            Claim(level.Id, $"fencing level '{level.Id}'", $"fencing-topology/fencing-level[id={level.Id}]");
        }
    }
}
