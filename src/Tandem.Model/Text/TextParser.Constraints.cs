using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;

namespace Tandem.Model.Text;

/// <summary>Constraints, resource sets, cluster-wide attribute blocks, tags and fencing levels.</summary>
public static partial class TextParser
{
    /// <summary>"( [$id=] [sequential=] [require-all=] [ordering=] [action=] [role=] [score=] [kind=] id ... )" after the "(".</summary>
    private static ResourceSet ParseResourceSet(TextCursor cursor, string conventionalId)
    {
        var set = new ResourceSet(conventionalId, []);
        var resources = new List<string>();
        while (true)
        {
            var token = cursor.Next("resource ids and ')'");
            if (token.Is(")"))
            {
                break;
            }
            if (!token.IsPair)
            {
                if (token.Is("("))
                {
                    throw cursor.Unexpected(token, "resource ids and ')'");
                }
                resources.Add(token.Text);
                continue;
            }
            set = token.Key switch
            {
                "$id" => set with { Id = token.Value! },
                "sequential" => set with { Sequential = cursor.BoolOf(token) },
                "require-all" => set with { RequireAll = cursor.BoolOf(token) },
                "ordering" => set with { Ordering = token.Value },
                "action" => set with { Action = cursor.EnumOf<ResourceAction>(token, token.Value!, "start, stop, promote or demote") },
                "role" => set with { Role = cursor.RoleOf(token, token.Value!) },
                "score" => set with { Score = cursor.ScoreOf(token, token.Value!) },
                "kind" => set with { Kind = cursor.EnumOf<OrderKind>(token, token.Value!, "Mandatory, Optional or Serialize") },
                _ => throw cursor.Unexpected(token, "$id=, sequential=, require-all=, ordering=, action=, role=, score=, kind= or a resource id"),
            };
        }
        if (resources.Count == 0)
        {
            throw cursor.StatementError("a resource set names no resources");
        }
        return set with { Resources = resources.ToValueList() };
    }

    private static LocationConstraint ParseLocation(TextCursor cursor)
    {
        var id = cursor.Word("the constraint id");
        cursor.Context = $"location {id}";
        var location = new LocationConstraint(id);
        var sets = new List<ResourceSet>();
        const string expected = "a resource, /pattern/, ( set ), role=, resource-discovery=, score: node, or rule";
        while (cursor.Peek() is { } token && !token.Is("rule"))
        {
            cursor.Next("");
            if (token.Is("("))
            {
                sets.Add(ParseResourceSet(cursor, TextIds.ResourceSet(id, sets.Count)));
            }
            else if (token.IsPair)
            {
                location = token.Key switch
                {
                    "role" => location with { Role = cursor.RoleOf(token, token.Value!) },
                    "resource-discovery" => location with { Discovery = cursor.EnumOf<ResourceDiscovery>(token, token.Value!, "always, never or exclusive") },
                    "$node" => location with { Node = token.Value },
                    "$rsc" => location with { Resource = token.Value },
                    _ => throw cursor.Unexpected(token, expected),
                };
            }
            else if (token.IsLabel)
            {
                location = location with { Score = cursor.ScoreOf(token, token.Label) };
                if (cursor.Peek() is { IsPair: false } node && !node.Is("rule") && !node.Is("("))
                {
                    cursor.Next("");
                    location = location with { Node = node.Text };
                }
            }
            else if (token.Text.Length >= 2 && token.Text[0] == '/' && token.Text[^1] == '/' && location.ResourcePattern is null)
            {
                location = location with { ResourcePattern = token.Text[1..^1] };
            }
            else if (location.Resource is null && location.ResourcePattern is null && sets.Count == 0)
            {
                location = location with { Resource = token.Text };
            }
            else
            {
                throw cursor.Unexpected(token, expected);
            }
        }
        var rules = ParseLocationRules(cursor, id);
        if (location.Resource is null && location.ResourcePattern is null && sets.Count == 0)
        {
            throw cursor.StatementError("names no resource");
        }
        return location with { Sets = sets.ToValueList(), Rules = rules };
    }

    /// <summary>"rsc[:suffix]" split at the first ':' (Pacemaker ids cannot contain one).</summary>
    private static (string Id, string? Suffix) SplitSuffix(Token token)
    {
        var at = token.Quoted ? -1 : token.Text.IndexOf(':', StringComparison.Ordinal);
        return at < 0 ? (token.Text, null) : (token.Text[..at], token.Text[(at + 1)..]);
    }

    private static ColocationConstraint ParseColocation(TextCursor cursor)
    {
        var id = cursor.Word("the constraint id");
        cursor.Context = $"colocation {id}";
        var colocation = new ColocationConstraint(id);
        if (cursor.Peek() is { IsLabel: true } label)
        {
            cursor.Next("");
            colocation = colocation with { Score = cursor.ScoreOf(label, label.Label) };
        }
        var sets = new List<ResourceSet>();
        var ends = new List<Token>();
        while (cursor.Peek() is { } token)
        {
            cursor.Next("");
            if (token.Is("("))
            {
                sets.Add(ParseResourceSet(cursor, TextIds.ResourceSet(id, sets.Count)));
            }
            else if (token.IsPair)
            {
                colocation = token.Key switch
                {
                    "node-attribute" => colocation with { NodeAttribute = token.Value },
                    "influence" => colocation with { Influence = cursor.BoolOf(token) },
                    "$rsc" => WithEnd(colocation, cursor, token with { Text = token.Value!, Key = null, Value = null }, first: true),
                    "$with-rsc" => WithEnd(colocation, cursor, token with { Text = token.Value!, Key = null, Value = null }, first: false),
                    _ => throw cursor.Unexpected(token, "node-attribute=, influence= or a resource"),
                };
            }
            else
            {
                ends.Add(token);
            }
        }
        if (ends.Count > 2)
        {
            throw cursor.Error(ends[2], "a colocation has two resources; write more as resource sets ( A B C )");
        }
        for (var i = 0; i < ends.Count; i++)
        {
            colocation = WithEnd(colocation, cursor, ends[i], first: i == 0);
        }
        return colocation with { Sets = sets.ToValueList() };
    }

    private static ColocationConstraint WithEnd(ColocationConstraint colocation, TextCursor cursor, Token token, bool first)
    {
        var (resource, role) = SplitSuffix(token);
        Role? parsedRole = role is null ? null : cursor.RoleOf(token, role);
        return first
            ? colocation with { Resource = resource, ResourceRole = parsedRole }
            : colocation with { WithResource = resource, WithResourceRole = parsedRole };
    }

    private static OrderConstraint ParseOrder(TextCursor cursor)
    {
        var id = cursor.Word("the constraint id");
        cursor.Context = $"order {id}";
        var order = new OrderConstraint(id);
        if (cursor.Peek() is { IsLabel: true } label)
        {
            cursor.Next("");
            order = EnumNames.TryParse(label.Label, out OrderKind kind)
                ? order with { Kind = kind }
                : order with { Score = cursor.ScoreOf(label, label.Label) };
        }
        var sets = new List<ResourceSet>();
        var ends = new List<Token>();
        while (cursor.Peek() is { } token)
        {
            cursor.Next("");
            if (token.Is("("))
            {
                sets.Add(ParseResourceSet(cursor, TextIds.ResourceSet(id, sets.Count)));
            }
            else if (token.IsPair)
            {
                order = token.Key switch
                {
                    "symmetrical" => order with { Symmetrical = cursor.BoolOf(token) },
                    "require-all" => order with { RequireAll = cursor.BoolOf(token) },
                    "score" => order with { Score = cursor.ScoreOf(token, token.Value!) },
                    "kind" => order with { Kind = cursor.EnumOf<OrderKind>(token, token.Value!, "Mandatory, Optional or Serialize") },
                    "$first" => WithEnd(order, cursor, token with { Text = token.Value!, Key = null, Value = null }, first: true),
                    "$then" => WithEnd(order, cursor, token with { Text = token.Value!, Key = null, Value = null }, first: false),
                    _ => throw cursor.Unexpected(token, "symmetrical=, require-all=, score=, kind= or a resource"),
                };
            }
            else
            {
                ends.Add(token);
            }
        }
        if (ends.Count > 2)
        {
            throw cursor.Error(ends[2], "an order has two resources; write more as resource sets ( A B C )");
        }
        for (var i = 0; i < ends.Count; i++)
        {
            order = WithEnd(order, cursor, ends[i], first: i == 0);
        }
        return order with { Sets = sets.ToValueList() };
    }

    private static OrderConstraint WithEnd(OrderConstraint order, TextCursor cursor, Token token, bool first)
    {
        var (resource, action) = SplitSuffix(token);
        ResourceAction? parsed = action is null ? null : cursor.EnumOf<ResourceAction>(token, action, "start, stop, promote or demote");
        return first ? order with { First = resource, FirstAction = parsed } : order with { Then = resource, ThenAction = parsed };
    }

    private static TicketConstraint ParseTicket(TextCursor cursor)
    {
        var id = cursor.Word("the constraint id");
        cursor.Context = $"rsc_ticket {id}";
        var ticketToken = cursor.Next("ticket:");
        string ticket = ticketToken switch
        {
            { IsLabel: true } => ticketToken.Label,
            { IsPair: true, Key: "$ticket" } => ticketToken.Value!,
            _ => throw cursor.Unexpected(ticketToken, "the ticket name followed by ':'"),
        };
        var constraint = new TicketConstraint(id, ticket);
        var sets = new List<ResourceSet>();
        while (cursor.Peek() is { } token)
        {
            cursor.Next("");
            if (token.Is("("))
            {
                sets.Add(ParseResourceSet(cursor, TextIds.ResourceSet(id, sets.Count)));
            }
            else if (token.IsPair && token.Key == "loss-policy")
            {
                constraint = constraint with { LossPolicy = token.Value };
            }
            else if (!token.IsPair && constraint.Resource is null)
            {
                var (resource, role) = SplitSuffix(token);
                constraint = constraint with { Resource = resource, ResourceRole = role is null ? null : cursor.RoleOf(token, role) };
            }
            else
            {
                throw cursor.Unexpected(token, "a resource, ( set ) or loss-policy=");
            }
        }
        return constraint with { Sets = sets.ToValueList() };
    }

    /// <summary>"property [id:] [$score=] [rule ...] name=value ...", likewise rsc_defaults and op_defaults.</summary>
    private static AttributeSet ParseTopLevelSet(TextCursor cursor, string baseId, int index)
    {
        var id = TextIds.TopLevelSet(baseId, index);
        if (cursor.Peek() is { IsLabel: true } label)
        {
            cursor.Next("");
            id = label.Label;
        }
        return ParseSet(cursor, id);
    }

    private static Tag ParseTag(TextCursor cursor)
    {
        var idToken = cursor.Next("the tag id");
        var id = idToken.IsLabel ? idToken.Label : idToken.IsPair ? throw cursor.Unexpected(idToken, "the tag id") : idToken.Text;
        cursor.Context = $"tag {id}";
        var references = new List<string>();
        while (!cursor.AtEnd)
        {
            references.Add(cursor.Word("a resource id"));
        }
        return new Tag(id, references.ToValueList());
    }

    private static FencingLevel ParseFencingLevel(TextCursor cursor)
    {
        var id = cursor.Word("the level id");
        cursor.Context = $"fencing_level {id}";
        var level = new FencingLevel(id, 0, []);
        var sawIndex = false;
        while (cursor.Peek() is { } token)
        {
            cursor.Next("");
            if (!token.IsPair)
            {
                throw cursor.Unexpected(token, "index=, target=, target-pattern=, target-attribute=, target-value= or devices=");
            }
            level = token.Key switch
            {
                "index" => level with { Index = cursor.IntOf(token) },
                "target" => level with { Target = token.Value },
                "target-pattern" => level with { TargetPattern = token.Value },
                "target-attribute" => level with { TargetAttribute = token.Value },
                "target-value" => level with { TargetValue = token.Value },
                "devices" => level with { Devices = token.Value!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToValueList() },
                _ => throw cursor.Unexpected(token, "index=, target=, target-pattern=, target-attribute=, target-value= or devices="),
            };
            sawIndex |= token.Key == "index";
        }
        return sawIndex ? level : throw cursor.StatementError("needs index=");
    }
}
