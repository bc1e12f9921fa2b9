using System.Text.RegularExpressions;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Unpack;
using Tandem.Scheduler.Working;
using ModelDiscovery = Tandem.Model.Constraints.ResourceDiscovery;
using ModelLocation = Tandem.Model.Constraints.LocationConstraint;

namespace Tandem.Scheduler.Placement;

/// <summary>
/// Location constraints: scores for a resource on nodes, given directly or by rules over node attributes
/// (one location per rule), for a resource, a set, a tag or every resource matching a pattern; and their
/// application to the resources' allowed nodes.
/// </summary>
internal static class LocationConstraints
{
    public static void Unpack(WorkingSet ws, ModelLocation constraint)
    {
        var sets = ConstraintResources.ExpandTagsInSets(ws, constraint.Sets);
        if (sets is null)
        {
            return;
        }
        var expanded = constraint with { Sets = sets.Value };
        if (expanded.Sets.IsEmpty && expanded.Resource is { } rscId)
        {
            if (!ConstraintResources.IsValid(ws, rscId, out _, out _))
            {
                return;
            }
            if (ConstraintResources.ToSet(ws, rscId, convertResource: false) is { } tagSet)
            {
                expanded = expanded with { Sets = [tagSet with { Role = expanded.Role }], Role = null };
            }
        }
        if (!expanded.Sets.IsEmpty)
        {
            foreach (var set in expanded.Sets)
            {
                foreach (var id in set.Resources)
                {
                    var rsc = ConstraintResources.Find(ws, id);
                    if (rsc is null)
                    {
                        return;
                    }
                    UnpackForResource(ws, expanded, rsc, set.Role, set.Score?.Value, null);
                }
            }
            return;
        }
        UnpackSimple(ws, expanded);
    }

    private static void UnpackSimple(WorkingSet ws, ModelLocation constraint)
    {
        if (constraint.Resource is { } rscId)
        {
            var rsc = ConstraintResources.Find(ws, rscId);
            if (rsc is not null)
            {
                UnpackForResource(ws, constraint, rsc, null, null, null);
            }
        }
        if (constraint.ResourcePattern is { } pattern)
        {
            var invert = pattern.StartsWith('!');
            if (invert)
            {
                pattern = pattern[1..];
            }
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return;
            }
            foreach (var rsc in ws.Resources.ToList())
            {
                var match = regex.Match(rsc.Id);
                if (!invert && match.Success)
                {
                    var submatches = match.Groups.Cast<System.Text.RegularExpressions.Group>().Select(g => g.Success ? g.Value : "").ToList();
                    UnpackForResource(ws, constraint, rsc, null, null, submatches);
                }
                else if (invert && !match.Success)
                {
                    UnpackForResource(ws, constraint, rsc, null, null, null);
                }
            }
        }
    }

    private static void UnpackForResource(WorkingSet ws, ModelLocation constraint, Resource rsc, Role? setRole, int? setScore,
                                          IReadOnlyList<string>? submatches)
    {
        var discovery = constraint.Discovery switch
        {
            ModelDiscovery.Never => DiscoverMode.Never,
            ModelDiscovery.Exclusive => DiscoverMode.Exclusive,
            _ => DiscoverMode.Always,
        };
        var score = setScore ?? constraint.Score?.Value;
        if (constraint.Node is { } nodeName && score is { } nodeScore)
        {
            var node = ws.FindNode(nodeName);
            if (node is null)
            {
                return;
            }
            var location = New(ws, constraint.Id, rsc, nodeScore, discovery, node);
            var role = setRole ?? constraint.Role;
            if (role is { } r)
            {
                location.RoleFilter = r is Role.Started or Role.Unpromoted ? Role.Unknown : r;
            }
            return;
        }
        foreach (var rule in constraint.Rules)
        {
            GenerateLocationRule(ws, rsc, rule, discovery, submatches);
        }
    }

    /// <summary>One location for one rule: the nodes where the rule holds, each with the rule's score (generate_location_rule).</summary>
    private static void GenerateLocationRule(WorkingSet ws, Resource rsc, Rule rule, DiscoverMode discovery, IReadOnlyList<string>? submatches)
    {
        var rawScore = rule.Score is not null || rule.ScoreAttribute is null;
        var scoreAttribute = rule.ScoreAttribute;
        if (!rawScore && submatches is { Count: > 0 } && scoreAttribute is not null)
        {
            scoreAttribute = RuleEvaluator.ExpandSubmatches(scoreAttribute, submatches) ?? scoreAttribute;
        }
        var doAnd = rule.BooleanOp != BooleanOperator.Or;
        var location = New(ws, rule.Id, rsc, 0, discovery, null);
        if (rule.Role is { } role)
        {
            location.RoleFilter = role == Role.Unpromoted ? Role.Unknown : role;
        }
        var matched = new List<Node>();
        if (doAnd)
        {
            foreach (var node in ws.Nodes)
            {
                var copy = node.Copy();
                copy.Weight = NodeScore(rule, rawScore, scoreAttribute, node);
                matched.Add(copy);
            }
        }
        foreach (var node in ws.Nodes)
        {
            var context = new RuleContext
            {
                Now = ws.Now,
                NodeAttributes = node.Details.Attrs,
                HasMatchData = true,
                Submatches = submatches,
                Params = rsc.Definition.Parameters(node.Details),
                Meta = rsc.Meta,
            };
            var accept = RuleEvaluator.Test(rule, context);
            var score = NodeScore(rule, rawScore, scoreAttribute, node);
            var local = matched.FirstOrDefault(n => n.Id == node.Id);
            if (accept)
            {
                if (local is null && doAnd)
                {
                    continue;
                }
                if (local is null)
                {
                    local = node.Copy();
                    matched.Add(local);
                }
                if (!doAnd)
                {
                    local.Weight = Scores.Add(local.Weight, score);
                }
            }
            else if (doAnd && local is not null)
            {
                matched.Remove(local);
            }
        }
        location.Nodes = matched;
    }

    private static int NodeScore(Rule rule, bool raw, string? scoreAttribute, Node node)
    {
        if (raw)
        {
            return rule.Score?.Value ?? 0;
        }
        var value = node.Details.Attribute(scoreAttribute!);
        return value is null ? -Scores.Infinity : Scores.Parse(value);
    }

    /// <summary>Creates a location (pcmk__new_location); with a node, the node comes with the score.</summary>
    public static LocationConstraint New(WorkingSet ws, string id, Resource rsc, int score, DiscoverMode discovery, Node? node)
    {
        var location = new LocationConstraint { Id = id, Rsc = rsc, DiscoverMode = discovery };
        if (discovery == DiscoverMode.Exclusive)
        {
            rsc.ExclusiveDiscover = true;
        }
        if (node is not null)
        {
            var copy = node.Copy();
            copy.Weight = score;
            location.Nodes = [copy];
        }
        ws.PlacementConstraints.Prepend(location);
        rsc.Locations.Insert(0, location);
        return location;
    }

    /// <summary>Applies every location to its resource (pcmk__apply_locations).</summary>
    public static void ApplyAll(WorkingSet ws)
    {
        foreach (var location in ws.PlacementConstraints)
        {
            Apply(location.Rsc, location, location.Nodes);
        }
    }

    private static void Apply(Resource rsc, LocationConstraint location, List<Node> nodes)
    {
        switch (rsc.Variant)
        {
            case ResourceVariant.Group:
                ApplyToResource(rsc, location, nodes);
                var reset = rsc.Group!.Colocated;
                var current = nodes;
                foreach (var member in rsc.Children)
                {
                    Apply(member, location, current);
                    if (reset)
                    {
                        // Later members of a colocated group follow the first, whose scores already count theirs.
                        reset = false;
                        current = nodes.Select(n => { var c = n.Copy(); c.Weight = 0; return c; }).ToList();
                    }
                }
                break;
            case ResourceVariant.Clone:
                ApplyToResource(rsc, location, nodes);
                foreach (var child in rsc.Children)
                {
                    Apply(child, location, nodes);
                }
                break;
            default:
                ApplyToResource(rsc, location, nodes);
                break;
        }
    }

    /// <summary>pcmk__apply_location: add the scores (for the constraint's role only, when it has one).</summary>
    private static void ApplyToResource(Resource rsc, LocationConstraint location, List<Node> nodes)
    {
        if (location.RoleFilter > Role.Unknown && location.RoleFilter != rsc.NextRole)
        {
            return;
        }
        foreach (var node in nodes)
        {
            var weighted = rsc.AllowedNodes.Get(node.Id);
            if (weighted is null)
            {
                weighted = node.Copy();
                rsc.AllowedNodes.Set(weighted);
            }
            else
            {
                weighted.Weight = Scores.Add(weighted.Weight, node.Weight);
            }
            if (weighted.DiscoverMode < location.DiscoverMode)
            {
                if (location.DiscoverMode == DiscoverMode.Exclusive)
                {
                    rsc.ExclusiveDiscover = true;
                }
                weighted.DiscoverMode = location.DiscoverMode;
            }
        }
    }
}
