using System.Globalization;
using System.Text.Json;

namespace Tandem.Deployment.Doctor;

/// <summary>A chain of the ruleset; <see cref="Hook"/> is set for base chains (those the kernel enters).</summary>
public sealed record NftChain(string Family, string Table, string Name, string? Hook, int Priority, string? Policy)
{
    public string Display => $"{Family} {Table} {Name}";
}

/// <summary>What a rule's match expression says about a packet.</summary>
public abstract record NftCondition
{
    /// <summary><c>udp dport 5405</c>, <c>tcp dport { 7450, 7788-7799 }</c>, possibly negated.</summary>
    public sealed record DestinationPort(string Protocol, IReadOnlyList<(int From, int To)> Ranges, bool Negated) : NftCondition;

    /// <summary><c>meta l4proto udp</c>, <c>ip protocol tcp</c>.</summary>
    public sealed record L4Protocol(IReadOnlyList<string> Protocols, bool Negated) : NftCondition;

    /// <summary>Never true for a peer's first packet: loopback only, or established/related connections only.</summary>
    public sealed record NotForNewPeerTraffic(string Text) : NftCondition;

    /// <summary>Always true for a peer's first packet (e.g. <c>ct state new</c>).</summary>
    public sealed record NewTraffic(string Text) : NftCondition;

    /// <summary>Anything else (source addresses, interfaces, named sets): true for some packets.</summary>
    public sealed record Other(string Text) : NftCondition;
}

/// <summary>A rule: its conditions and its verdict (accept, drop, reject, jump, goto, return, or none).</summary>
public sealed record NftRule(string Family, string Table, string Chain, long Handle, IReadOnlyList<NftCondition> Conditions, string? Verdict, string? Target);

/// <summary>The nftables ruleset as `nft -j list ruleset` prints it, reduced to what decides whether a port is reachable.</summary>
public sealed record NftRuleset(IReadOnlyList<NftChain> Chains, IReadOnlyList<NftRule> Rules)
{
    public static readonly NftRuleset Empty = new([], []);

    /// <exception cref="FormatException">Not the JSON that nft prints.</exception>
    public static NftRuleset Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"nft printed no JSON ruleset: {e.Message}", e);
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("nft printed no \"nftables\" array");
            }
            var chains = new List<NftChain>();
            var rules = new List<NftRule>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("chain", out var chain))
                {
                    chains.Add(new NftChain(
                        Text(chain, "family"), Text(chain, "table"), Text(chain, "name"),
                        chain.TryGetProperty("hook", out var hook) ? hook.GetString() : null,
                        chain.TryGetProperty("prio", out var prio) && prio.ValueKind == JsonValueKind.Number ? prio.GetInt32() : 0,
                        chain.TryGetProperty("policy", out var policy) ? policy.GetString() : null));
                }
                else if (item.TryGetProperty("rule", out var rule))
                {
                    rules.Add(ParseRule(rule));
                }
            }
            return new NftRuleset(chains, rules);
        }
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    private static NftRule ParseRule(JsonElement rule)
    {
        var conditions = new List<NftCondition>();
        string? verdict = null;
        string? target = null;
        if (rule.TryGetProperty("expr", out var exprs))
        {
            foreach (var expr in exprs.EnumerateArray())
            {
                foreach (var property in expr.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "match":
                            conditions.Add(ParseMatch(property.Value));
                            break;
                        case "accept" or "drop" or "reject" or "return":
                            verdict = property.Name;
                            break;
                        case "jump" or "goto":
                            verdict = property.Name;
                            target = property.Value.TryGetProperty("target", out var t) ? t.GetString() : null;
                            break;
                    }
                }
            }
        }
        var handle = rule.TryGetProperty("handle", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt64() : 0;
        return new NftRule(Text(rule, "family"), Text(rule, "table"), Text(rule, "chain"), handle, conditions, verdict, target);
    }

    private static NftCondition ParseMatch(JsonElement match)
    {
        var op = match.TryGetProperty("op", out var o) ? o.GetString() : "==";
        var negated = op == "!=";
        var left = match.GetProperty("left");
        var right = match.GetProperty("right");
        var text = $"{Describe(left)} {op} {right.GetRawText()}";
        if (op is not ("==" or "!=" or "in"))
        {
            return new NftCondition.Other(text);
        }
        if (left.TryGetProperty("payload", out var payload) && Text(payload, "field") == "dport"
            && Text(payload, "protocol") is "tcp" or "udp" && Ports(right) is { } ranges)
        {
            return new NftCondition.DestinationPort(Text(payload, "protocol"), ranges, negated);
        }
        if ((left.TryGetProperty("meta", out var meta) && Text(meta, "key") == "l4proto")
            || (left.TryGetProperty("payload", out var ip) && Text(ip, "field") is "protocol" or "nexthdr"))
        {
            return Words(right) is { } protocols ? new NftCondition.L4Protocol(protocols, negated) : new NftCondition.Other(text);
        }
        if (left.TryGetProperty("ct", out var ct) && Text(ct, "key") == "state" && Words(right) is { } states && !negated)
        {
            return states.Contains("new") ? new NftCondition.NewTraffic(text) : new NftCondition.NotForNewPeerTraffic(text);
        }
        if (left.TryGetProperty("meta", out var iif) && Text(iif, "key") is "iifname" or "iif" && right.ValueKind == JsonValueKind.String && right.GetString() == "lo" && !negated)
        {
            return new NftCondition.NotForNewPeerTraffic(text);
        }
        return new NftCondition.Other(text);
    }

    private static string Describe(JsonElement left)
    {
        foreach (var property in left.EnumerateObject())
        {
            return property.Value.ValueKind == JsonValueKind.Object
                ? $"{property.Name} {string.Join(' ', property.Value.EnumerateObject().Select(p => p.Value.ToString()))}"
                : property.Name;
        }
        return left.GetRawText();
    }

    private static List<string>? Words(JsonElement right) => right.ValueKind switch
    {
        JsonValueKind.String => [right.GetString()!],
        JsonValueKind.Array => right.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) ? [.. right.EnumerateArray().Select(e => e.GetString()!)] : null,
        JsonValueKind.Object when right.TryGetProperty("set", out var set) => Words(set),
        _ => null,
    };

    private static List<(int, int)>? Ports(JsonElement right)
    {
        switch (right.ValueKind)
        {
            case JsonValueKind.Number:
                return [(right.GetInt32(), right.GetInt32())];
            case JsonValueKind.String when int.TryParse(right.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port):
                return [(port, port)];
            case JsonValueKind.Object when right.TryGetProperty("range", out var range) && range.GetArrayLength() == 2:
                return Ports(range[0]) is [var low] && Ports(range[1]) is [var high] ? [(low.Item1, high.Item1)] : null;
            case JsonValueKind.Object when right.TryGetProperty("set", out var set):
                return Ports(set);
            case JsonValueKind.Array:
                var all = new List<(int, int)>();
                foreach (var element in right.EnumerateArray())
                {
                    if (Ports(element) is not { } part)
                    {
                        return null;
                    }
                    all.AddRange(part);
                }
                return all;
            default:
                return null;
        }
    }
}
