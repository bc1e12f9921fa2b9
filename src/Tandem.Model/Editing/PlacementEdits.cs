using System.Globalization;
using Tandem.Model.Constraints;
using Tandem.Model.Durations;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;

namespace Tandem.Model.Editing;

/// <summary>
/// `tandem resource move|ban|clear`: the location constraints crm_resource makes (cli-prefer-RSC,
/// cli-ban-RSC-on-NODE), with an expiry written as crm_resource writes one (a rule on #uname and a
/// date). A move expires by default, so that no preference stays behind unannounced; every command
/// says what it left in the configuration and how to remove it.
/// </summary>
public static class PlacementEdits
{
    /// <summary>How long a move's preference lasts when no lifetime is given.</summary>
    public static readonly Duration DefaultMoveLifetime = Duration.FromSeconds(60 * 60);

    public static string PreferId(string resource) => $"cli-prefer-{resource}";

    public static string BanId(string resource, string node) => $"cli-ban-{resource}-on-{node}";

    /// <summary>Prefers the node (lifetime: null for the default, <see cref="Duration.Zero"/> for until cleared).</summary>
    public static ConfigEdit Move(ClusterConfiguration configuration, string resource, string node, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (id, role) = Movable(configuration, resource, "move");
        ConstraintEdits.CheckNode(configuration, node, knownNodes);
        if (BanOn(configuration, id, node) is { } ban)
        {
            throw new ConfigEditException($"'{id}' is banned from '{node}' by location constraint '{ban.Id}'" +
                (ban.Id.StartsWith("cli-ban-", StringComparison.Ordinal) ? $"; 'tandem resource clear {id} {node}' lifts the ban" : "; remove it first"));
        }
        var notes = new List<string>();
        var constraints = configuration.Constraints;
        var previous = constraints.IndexWhere(c => c.Id == PreferId(id));
        if (previous >= 0)
        {
            notes.Add($"replaced the earlier move of '{id}'{(TargetOf(constraints[previous]) is { } to ? $" to '{to}'" : "")}");
            constraints = constraints.RemoveAt(previous);
        }
        var effective = lifetime ?? DefaultMoveLifetime;
        var constraint = Constraint(PreferId(id), id, node, Score.Infinity, role, effective, now);
        notes.Add(effective == Duration.Zero
            ? $"'{id}' prefers '{node}' until 'tandem resource clear {id}' (constraint {PreferId(id)})"
            : $"'{id}' prefers '{node}' until {Expiry(now, effective)} ({effective}; constraint {PreferId(id)}); then stickiness keeps it where it runs. 'tandem resource clear {id}' removes it sooner");
        return new ConfigEdit(configuration with { Constraints = constraints.Add(constraint) }, notes);
    }

    /// <summary>
    /// A move without a destination, as crm_resource --move without a node: a ban from the one node the
    /// resource (a promotable clone: its promoted instance) is active on, which expires as a move does.
    /// </summary>
    public static ConfigEdit MoveAway(ClusterConfiguration configuration, string resource, IReadOnlyCollection<string> activeOn, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes) =>
        Away(configuration, resource, activeOn, lifetime ?? DefaultMoveLifetime, now, knownNodes, "move");

    /// <summary>A ban without a node, as crm_resource --ban without one: from the one node the resource is active on.</summary>
    public static ConfigEdit BanAway(ClusterConfiguration configuration, string resource, IReadOnlyCollection<string> activeOn, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes) =>
        Away(configuration, resource, activeOn, lifetime, now, knownNodes, "ban");

    private static ConfigEdit Away(ClusterConfiguration configuration, string resource, IReadOnlyCollection<string> activeOn, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes, string verb)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(activeOn);
        var (id, _) = Movable(configuration, resource, verb);
        var preposition = verb == "move" ? "to" : "from";
        var from = activeOn.Count switch
        {
            1 => activeOn.First(),
            0 => throw new ConfigEditException($"'{id}' is not active on any node: name the node to {verb} it {preposition}"),
            _ => throw new ConfigEditException($"'{id}' is active on {string.Join(", ", activeOn.Order(StringComparer.Ordinal))}: name the node to {verb} it {preposition}"),
        };
        var edit = Ban(configuration, id, from, lifetime, now, knownNodes);
        return edit with { Notes = [$"{verb} of '{id}' away from '{from}', where it is active", .. edit.Notes] };
    }

    /// <summary>Keeps the resource off the node (lifetime: null or <see cref="Duration.Zero"/> for until cleared).</summary>
    public static ConfigEdit Ban(ClusterConfiguration configuration, string resource, string node, Duration? lifetime, DateTimeOffset now, IReadOnlyCollection<string> knownNodes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (id, role) = Movable(configuration, resource, "ban");
        ConstraintEdits.CheckNode(configuration, node, knownNodes);
        var notes = new List<string>();
        var constraints = configuration.Constraints;
        var prefer = constraints.IndexWhere(c => c.Id == PreferId(id));
        if (prefer >= 0 && TargetOf(constraints[prefer]) == node)
        {
            notes.Add($"removed the move of '{id}' to '{node}' ({PreferId(id)}), which the ban contradicts");
            constraints = constraints.RemoveAt(prefer);
        }
        var existing = constraints.IndexWhere(c => c.Id == BanId(id, node));
        if (existing >= 0)
        {
            constraints = constraints.RemoveAt(existing);
        }
        var effective = lifetime ?? Duration.Zero;
        var constraint = Constraint(BanId(id, node), id, node, Score.MinusInfinity, role, effective, now);
        notes.Add(effective == Duration.Zero
            ? $"'{id}' is banned from '{node}' until 'tandem resource clear {id} {node}' (constraint {BanId(id, node)})"
            : $"'{id}' is banned from '{node}' until {Expiry(now, effective)} ({effective}; constraint {BanId(id, node)})");
        return new ConfigEdit(configuration with { Constraints = constraints.Add(constraint) }, notes);
    }

    /// <summary>Removes the moves and bans of a resource (on one node, or all), naming each.</summary>
    public static ConfigEdit Clear(ClusterConfiguration configuration, string resource, string? node, IReadOnlyCollection<string> knownNodes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var id = ResourceTree.Find(configuration, resource).Id;
        if (node is not null)
        {
            ConstraintEdits.CheckNode(configuration, node, knownNodes);
        }
        var notes = new List<string>();
        var kept = new List<Constraint>();
        foreach (var constraint in configuration.Constraints)
        {
            var target = TargetOf(constraint);
            var isMove = constraint.Id == PreferId(id) && (node is null || target == node);
            var isBan = node is null ? constraint.Id.StartsWith($"cli-ban-{id}-on-", StringComparison.Ordinal) : constraint.Id == BanId(id, node);
            if (isMove || isBan)
            {
                notes.Add($"removed {constraint.Id} ({(isMove ? "move to" : "ban from")} '{target}'{ExpiryOf(constraint)})");
            }
            else
            {
                kept.Add(constraint);
            }
        }
        if (notes.Count == 0)
        {
            notes.Add($"'{id}' has no move or ban{(node is null ? "" : $" on '{node}'")} to clear");
        }
        return new ConfigEdit(configuration with { Constraints = [.. kept] }, notes);
    }

    private static (string Id, Role? Role) Movable(ClusterConfiguration configuration, string resource, string verb)
    {
        var found = ResourceTree.Find(configuration, resource);
        switch (configuration.ParentOf(found.Id))
        {
            case Group g:
                throw new ConfigEditException($"'{found.Id}' is in group '{g.Id}', which places its members together: {verb} the group");
            case Clone c:
                throw new ConfigEditException($"'{found.Id}' is inside clone '{c.Id}': {verb} the clone");
        }
        return found switch
        {
            Clone { IsPromotable: true } => (found.Id, Role.Promoted),
            Clone when verb == "move" => throw new ConfigEditException($"'{found.Id}' is a clone, which runs on several nodes: ban it from a node instead"),
            _ => (found.Id, null),
        };
    }

    private static LocationConstraint Constraint(string id, string resource, string node, Score score, Role? role, Duration lifetime, DateTimeOffset now)
    {
        if (lifetime == Duration.Zero)
        {
            return new LocationConstraint(id) { Resource = resource, Role = role, Node = node, Score = score };
        }
        var prefix = id.StartsWith("cli-prefer-", StringComparison.Ordinal) ? $"cli-prefer-{{0}}-{resource}" : $"{id}-{{0}}";
        string Part(string name) => string.Format(CultureInfo.InvariantCulture, prefix, name);
        var rule = new Rule(Part("rule"),
        [
            new AttributeExpression(Part("expr"), "#uname", ComparisonOperator.Eq) { Value = node, Type = Rules.ValueType.String },
            new DateExpression(Part("lifetime-end"), DateOperation.Lt) { End = Expiry(now, lifetime) },
        ])
        { Score = score, BooleanOp = BooleanOperator.And };
        return new LocationConstraint(id) { Resource = resource, Role = role, Rules = [rule] };
    }

    private static string Expiry(DateTimeOffset now, Duration lifetime) =>
        (now + lifetime.ToTimeSpan()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The node a move or ban names: directly, or in its rule's #uname expression.</summary>
    private static string? TargetOf(Constraint constraint) => constraint switch
    {
        LocationConstraint { Node: { } node } => node,
        LocationConstraint l => l.Rules.SelectMany(r => r.Expressions).OfType<AttributeExpression>().FirstOrDefault(e => e.Attribute == "#uname")?.Value,
        _ => null,
    };

    private static string ExpiryOf(Constraint constraint) =>
        constraint is LocationConstraint l && l.Rules.SelectMany(r => r.Expressions).OfType<DateExpression>().FirstOrDefault(e => e.Operation == DateOperation.Lt)?.End is { } end
            ? $", until {end}"
            : "";

    /// <summary>A location constraint that keeps the resource (or a group or clone holding it) off the node for good.</summary>
    private static LocationConstraint? BanOn(ClusterConfiguration configuration, string resource, string node) =>
        configuration.Constraints.OfType<LocationConstraint>().FirstOrDefault(l =>
            l.Resource == resource && ((l.Node == node && l.Score is { IsMinusInfinity: true })
                || (l.Id == BanId(resource, node))));
}
