using System.Text.RegularExpressions;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;

namespace Tandem.Model.Validation;

/// <summary>
/// Every name points at something: constraints at resources, templates or tags; primitives at their
/// template; tags at resources; fencing levels at fence devices; location constraints at known nodes.
/// </summary>
internal static class ReferenceChecks
{
    public static void Check(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var resources = c.AllResources.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var templates = c.Templates.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var tags = c.Tags.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var nodes = c.Nodes.Select(n => n.Uname).Concat(ImplicitNodes(c)).ToHashSet(StringComparer.Ordinal);
        bool Known(string id) => resources.ContainsKey(id) || templates.Contains(id) || tags.Contains(id);

        foreach (var primitive in c.AllResources.OfType<Primitive>())
        {
            if (primitive.Template is { } template && !templates.Contains(template))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(primitive),
                    $"primitive '{primitive.Id}' is based on template '{template}', which does not exist") { Code = "dangling-reference" });
            }
            else if (primitive.Template is null && primitive.Agent is null)
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(primitive),
                    $"primitive '{primitive.Id}' has no agent: nothing would know how to start it") { Code = "missing-agent" });
            }
        }
        foreach (var constraint in c.Constraints)
        {
            foreach (var id in constraint.ReferencedResources.Distinct(StringComparer.Ordinal).Where(id => !Known(id)))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(constraint),
                    $"{Paths.Kind(constraint)} '{constraint.Id}' names resource '{id}', which does not exist") { Code = "dangling-reference" });
            }
            switch (constraint)
            {
                case LocationConstraint { Node: { } node } location when c.Nodes.Count > 0 && !nodes.Contains(node):
                    findings.Add(new Diagnostic(DiagnosticSeverity.Warning, Paths.Of(location),
                        $"location '{location.Id}' names node '{node}', which is not a configured node; it has no effect until such a node joins") { Code = "unknown-node" });
                    break;
                case LocationConstraint { ResourcePattern: { } pattern } location:
                    CheckPattern(location, pattern, resources.Keys, findings);
                    break;
                case ColocationConstraint { Resource: { } a, WithResource: { } b } colocation when a == b:
                    findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(colocation),
                        $"colocation '{colocation.Id}' places '{a}' relative to itself") { Code = "self-reference" });
                    break;
                case OrderConstraint { First: { } first, Then: { } then } order when first == then && (order.FirstAction ?? ResourceAction.Start) == (order.ThenAction ?? order.FirstAction ?? ResourceAction.Start):
                    findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(order),
                        $"order '{order.Id}' orders '{first}' {(order.FirstAction ?? ResourceAction.Start).ToName()} after itself") { Code = "self-reference" });
                    break;
            }
        }
        foreach (var tag in c.Tags)
        {
            foreach (var reference in tag.References.Where(r => !resources.ContainsKey(r) && !templates.Contains(r)))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Error, $"tags/tag[id={tag.Id}]",
                    $"tag '{tag.Id}' names resource '{reference}', which does not exist") { Code = "dangling-reference" });
            }
        }
        foreach (var level in c.FencingTopology)
        {
            foreach (var device in level.Devices)
            {
                var path = $"fencing-topology/fencing-level[id={level.Id}]";
                if (!resources.TryGetValue(device, out var resource))
                {
                    findings.Add(new Diagnostic(DiagnosticSeverity.Error, path,
                        $"fencing level '{level.Id}' names device '{device}', which does not exist") { Code = "dangling-reference" });
                }
                else if (resource is not Primitive p || !(c.Expand(p).Agent?.IsStonith ?? false))
                {
                    findings.Add(new Diagnostic(DiagnosticSeverity.Error, path,
                        $"fencing level '{level.Id}' names '{device}', which is not a fence device (class stonith)") { Code = "not-a-fence-device" });
                }
            }
            if (level.Target is { } target && c.Nodes.Count > 0 && !nodes.Contains(target))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Warning, $"fencing-topology/fencing-level[id={level.Id}]",
                    $"fencing level '{level.Id}' is for node '{target}', which is not a configured node") { Code = "unknown-node" });
            }
        }
    }

    /// <summary>
    /// Nodes that resources create: a remote node per ocf:pacemaker:remote primitive (named by its id),
    /// a guest node per remote-node meta attribute, a node per bundle replica (bundle-0, bundle-1, ...).
    /// </summary>
    private static IEnumerable<string> ImplicitNodes(ClusterConfiguration c)
    {
        foreach (var resource in c.AllResources)
        {
            if (resource is Primitive p && c.Expand(p).Agent is { Class: "ocf", Provider: "pacemaker", Type: "remote" })
            {
                yield return p.Id;
            }
            foreach (var pair in resource.Meta.SelectMany(s => s.Pairs).Where(pair => pair.Name == "remote-node" && pair.Value is not null))
            {
                yield return pair.Value!;
            }
            if (resource is Bundle bundle)
            {
                // Pacemaker defaults the replicas to promoted-max when that is given.
                for (var i = 0; i < (bundle.Replicas ?? bundle.PromotedMax ?? 1); i++)
                {
                    yield return $"{bundle.Id}-{i}";
                }
            }
        }
    }

    private static void CheckPattern(LocationConstraint location, string pattern, IEnumerable<string> resourceIds, List<Diagnostic> findings)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Error, Paths.Of(location),
                $"location '{location.Id}' has an invalid resource pattern '{pattern}': {e.Message}") { Code = "invalid-value" });
            return;
        }
        if (!resourceIds.Any(regex.IsMatch))
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Warning, Paths.Of(location),
                $"location '{location.Id}': pattern '{pattern}' matches no resource") { Code = "unmatched-pattern" });
        }
    }
}
