using Tandem.Model.Constraints;
using Tandem.Model.Resources;
using Tandem.Model.Scores;
using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>
/// `tandem constraint location|colocation|order add|remove`, with pcs's argument order:
/// <c>location RSC prefers|avoids NODE[=SCORE]...</c>, <c>colocation [ROLE] RSC with [ROLE] WITH-RSC [SCORE]</c>,
/// <c>order [ACTION] FIRST then [ACTION] THEN</c>; options name=value (id=, kind=, symmetrical=, score=, ...).
/// Roles and actions may also be written crm's way, as RSC:Promoted or RSC:promote.
/// </summary>
public static class ConstraintEdits
{
    public static ConfigEdit AddLocation(ClusterConfiguration configuration, IReadOnlyList<string> words, IReadOnlyCollection<string> knownNodes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(knownNodes);
        var (positional, options) = Split(words, ["id", "role", "resource-discovery"]);
        if (positional.Count < 3 || positional[1] is not ("prefers" or "avoids"))
        {
            throw new ConfigEditException("expected: location add RSC prefers|avoids NODE[=SCORE]... [id=ID] [role=ROLE] [resource-discovery=always|never|exclusive]");
        }
        var resource = ResourceTree.Find(configuration, positional[0]).Id;
        var avoids = positional[1] == "avoids";
        var nodes = positional.Skip(2).ToList();
        if (options.ContainsKey("id") && nodes.Count > 1)
        {
            throw new ConfigEditException("id= names one constraint: give one node with it");
        }
        Role? role = options.TryGetValue("role", out var roleText) ? ParseRole(roleText) : null;
        ResourceDiscovery? discovery = options.TryGetValue("resource-discovery", out var discoveryText)
            ? ConstraintNames.TryParseDiscovery(discoveryText, out var d) ? d : throw new ConfigEditException($"invalid resource-discovery '{discoveryText}' (expected always, never or exclusive)")
            : null;
        var constraints = configuration.Constraints;
        foreach (var nodeWord in nodes)
        {
            var at = nodeWord.IndexOf('=', StringComparison.Ordinal);
            var node = at < 0 ? nodeWord : nodeWord[..at];
            CheckNode(configuration, node, knownNodes);
            var score = at < 0 ? Score.Infinity : ParseScore(nodeWord[(at + 1)..]);
            if (avoids)
            {
                score = -score;
            }
            var id = options.TryGetValue("id", out var given) ? CheckNewId(configuration, given)
                : UniqueId(configuration, $"location-{resource}-{node}-{ScoreName(score)}");
            constraints = constraints.Add(new LocationConstraint(id) { Resource = resource, Node = node, Score = score, Role = role, Discovery = discovery });
            configuration = configuration with { Constraints = constraints };
        }
        return ConfigEdit.Of(configuration);
    }

    public static ConfigEdit AddColocation(ClusterConfiguration configuration, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(words);
        var (positional, options) = Split(words, ["id", "score", "node-attribute", "influence"]);
        var with = positional.IndexOf("with");
        if (with < 1 || with == positional.Count - 1)
        {
            throw new ConfigEditException("expected: colocation add [ROLE] RSC with [ROLE] WITH-RSC [SCORE] [id=ID] [node-attribute=NAME]");
        }
        var (resource, resourceRole) = RoleAndResource(configuration, positional[..with]);
        var rest = positional[(with + 1)..];
        Score? score = null;
        if (rest.Count > 1 && Score.TryParse(rest[^1], out var trailing, out _))
        {
            score = trailing;
            rest = rest[..^1];
        }
        var (withResource, withRole) = RoleAndResource(configuration, rest);
        if (options.TryGetValue("score", out var scoreText))
        {
            score = ParseScore(scoreText);
        }
        score ??= Score.Infinity;
        if (resource == withResource)
        {
            throw new ConfigEditException($"a resource cannot be colocated with itself ('{resource}')");
        }
        var id = options.TryGetValue("id", out var given) ? CheckNewId(configuration, given)
            : UniqueId(configuration, $"colocation-{resource}-{withResource}-{ScoreName(score.Value)}");
        var colocation = new ColocationConstraint(id)
        {
            Score = score,
            Resource = resource,
            ResourceRole = resourceRole,
            WithResource = withResource,
            WithResourceRole = withRole,
            NodeAttribute = options.GetValueOrDefault("node-attribute"),
            Influence = options.TryGetValue("influence", out var influence) ? ParseBool("influence", influence) : null,
        };
        return ConfigEdit.Of(configuration with { Constraints = configuration.Constraints.Add(colocation) });
    }

    public static ConfigEdit AddOrder(ClusterConfiguration configuration, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(words);
        var (positional, options) = Split(words, ["id", "kind", "score", "symmetrical", "require-all"]);
        var then = positional.IndexOf("then");
        if (then < 1 || then == positional.Count - 1)
        {
            throw new ConfigEditException("expected: order add [ACTION] FIRST then [ACTION] THEN [kind=Mandatory|Optional|Serialize] [symmetrical=true|false] [id=ID]");
        }
        var (first, firstAction) = ActionAndResource(configuration, positional[..then]);
        var (second, thenAction) = ActionAndResource(configuration, positional[(then + 1)..]);
        if (first == second)
        {
            throw new ConfigEditException($"a resource cannot be ordered after itself ('{first}')");
        }
        OrderKind? kind = options.TryGetValue("kind", out var kindText)
            ? ConstraintNames.TryParseKind(kindText, out var k) ? k : throw new ConfigEditException($"invalid kind '{kindText}' (expected Mandatory, Optional or Serialize)")
            : null;
        Score? score = options.TryGetValue("score", out var scoreText) ? ParseScore(scoreText) : null;
        if (kind is not null && score is not null)
        {
            throw new ConfigEditException("give kind= or the deprecated score=, not both");
        }
        var kindName = (kind ?? (score is { Value: 0 } ? OrderKind.Optional : OrderKind.Mandatory)).ToString().ToLowerInvariant();
        var id = options.TryGetValue("id", out var given) ? CheckNewId(configuration, given) : UniqueId(configuration, $"order-{first}-{second}-{kindName}");
        var order = new OrderConstraint(id)
        {
            First = first,
            FirstAction = firstAction,
            Then = second,
            ThenAction = thenAction,
            Kind = kind,
            Score = score,
            Symmetrical = options.TryGetValue("symmetrical", out var symmetrical) ? ParseBool("symmetrical", symmetrical) : null,
            RequireAll = options.TryGetValue("require-all", out var requireAll) ? ParseBool("require-all", requireAll) : null,
        };
        return ConfigEdit.Of(configuration with { Constraints = configuration.Constraints.Add(order) });
    }

    /// <summary>Removes the constraint <paramref name="id"/>, which must be of the kind the command names (null: any).</summary>
    public static ConfigEdit Remove(ClusterConfiguration configuration, string id, string? kind)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var index = configuration.Constraints.IndexWhere(c => c.Id == id);
        if (index < 0)
        {
            var ofKind = configuration.Constraints.Where(c => kind is null || ResourceTree.KindOf(c) == kind).Select(c => c.Id).ToList();
            throw new ConfigEditException($"unknown {kind ?? "constraint"}{(kind is null ? "" : " constraint")} '{id}'" +
                (ofKind.Count == 0 ? "" : $" (configured: {string.Join(", ", ofKind.Take(12))}{(ofKind.Count > 12 ? ", ..." : "")})"));
        }
        var constraint = configuration.Constraints[index];
        if (kind is not null && ResourceTree.KindOf(constraint) != kind)
        {
            throw new ConfigEditException($"'{id}' is a {ResourceTree.KindOf(constraint)} constraint, not a {kind} constraint");
        }
        return ConfigEdit.Of(configuration with { Constraints = configuration.Constraints.RemoveAt(index) });
    }

    internal static void CheckNode(ClusterConfiguration configuration, string node, IReadOnlyCollection<string> knownNodes)
    {
        if (configuration.FindNode(node) is null && !knownNodes.Contains(node))
        {
            var all = configuration.Nodes.Select(n => n.Uname).Concat(knownNodes).Distinct().ToList();
            throw new ConfigEditException(all.Count == 0 ? $"unknown node '{node}'" : $"unknown node '{node}' (nodes: {string.Join(", ", all)})");
        }
    }

    internal static Score ParseScore(string text) =>
        Score.TryParse(text, out var score, out var error) ? score : throw new ConfigEditException(error);

    internal static string ScoreName(Score score) => score.IsInfinity ? "INFINITY" : score.IsMinusInfinity ? "-INFINITY" : score.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string CheckNewId(ClusterConfiguration configuration, string id)
    {
        if (string.IsNullOrEmpty(id) || id.Any(c => char.IsWhiteSpace(c) || c == ':'))
        {
            throw new ConfigEditException($"invalid id '{id}' (no spaces or ':')");
        }
        if (configuration.Constraints.Any(c => c.Id == id) || configuration.FindResource(id) is not null)
        {
            throw new ConfigEditException($"id '{id}' is already used");
        }
        return id;
    }

    private static string UniqueId(ClusterConfiguration configuration, string id) =>
        TextIds.Deduplicate(configuration.Constraints.Select(c => c.Id).Concat(configuration.AllResources.Select(r => r.Id)).Append(id))[^1];

    private static Role ParseRole(string text) =>
        RoleNames.TryParse(text, out var role) ? role : throw new ConfigEditException($"invalid role '{text}' (expected Started, Unpromoted or Promoted)");

    private static bool ParseBool(string name, string text) =>
        Booleans.TryParse(text, out var value) ? value : throw new ConfigEditException($"invalid {name} '{text}' (expected true or false)");

    /// <summary>Positional words, and name=value options of the accepted names.</summary>
    private static (List<string> Positional, Dictionary<string, string> Options) Split(IReadOnlyList<string> words, string[] accepted)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var at = word.IndexOf('=', StringComparison.Ordinal);
            var name = at > 0 ? word[..at] : null;
            if (name is not null && accepted.Contains(name))
            {
                if (!options.TryAdd(name, word[(at + 1)..]))
                {
                    throw new ConfigEditException($"{name}= is given twice");
                }
            }
            else
            {
                positional.Add(word);
            }
        }
        return (positional, options);
    }

    /// <summary>"[ROLE] RSC" or "RSC:ROLE".</summary>
    private static (string Resource, Role? Role) RoleAndResource(ClusterConfiguration configuration, List<string> words)
    {
        Role? role = null;
        string word;
        if (words.Count == 2)
        {
            role = ParseRole(words[0]);
            word = words[1];
        }
        else if (words.Count == 1)
        {
            word = words[0];
        }
        else
        {
            throw new ConfigEditException($"expected [ROLE] RESOURCE, found '{string.Join(' ', words)}'");
        }
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            if (role is not null)
            {
                throw new ConfigEditException($"the role of '{word}' is given twice");
            }
            role = ParseRole(word[(colon + 1)..]);
            word = word[..colon];
        }
        return (ResourceTree.Find(configuration, word).Id, role);
    }

    /// <summary>"[ACTION] RSC" or "RSC:ACTION".</summary>
    private static (string Resource, ResourceAction? Action) ActionAndResource(ClusterConfiguration configuration, List<string> words)
    {
        ResourceAction? action = null;
        string word;
        if (words.Count == 2)
        {
            action = ParseAction(words[0]);
            word = words[1];
        }
        else if (words.Count == 1)
        {
            word = words[0];
        }
        else
        {
            throw new ConfigEditException($"expected [ACTION] RESOURCE, found '{string.Join(' ', words)}'");
        }
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            if (action is not null)
            {
                throw new ConfigEditException($"the action of '{word}' is given twice");
            }
            action = ParseAction(word[(colon + 1)..]);
            word = word[..colon];
        }
        return (ResourceTree.Find(configuration, word).Id, action);
    }

    private static ResourceAction ParseAction(string text) =>
        ConstraintNames.TryParseAction(text, out var action) ? action : throw new ConfigEditException($"invalid action '{text}' (expected start, stop, promote or demote)");
}
