namespace Tandem.Deployment.Doctor;

/// <summary>
/// Would the firewall let a peer's first packet reach each port the cluster needs? Every input base chain
/// is walked as the kernel does (rules in order, jumps followed, the policy at the end); a packet must pass
/// all of them. Rules that match only some packets (by source address, interface, named set) make the
/// answer a warning, since the doctor cannot tell whether the peers are among them.
/// </summary>
public static class FirewallChecks
{
    private const int MaxJumpDepth = 16;

    private enum Outcome
    {
        Accepted,
        Dropped,
        FellThrough,
    }

    private sealed record Walk(Outcome Outcome, string Why, string? Doubt);

    public static CheckResult Run(DoctorFacts facts)
    {
        if (facts.Firewall is not { } ruleset)
        {
            return CheckResult.Skipped("firewall", $"nftables ruleset not read: {facts.FirewallError ?? "unknown reason"}");
        }
        var inputs = ruleset.Chains.Where(c => c.Hook == "input").OrderBy(c => c.Priority).ToList();
        if (inputs.Count == 0 || facts.RequiredPorts.Count == 0)
        {
            return CheckResult.Ok("firewall", "no input filtering in nftables");
        }
        var blocked = new List<string>();
        var doubtful = new List<string>();
        string? fixChain = null;
        foreach (var port in facts.RequiredPorts)
        {
            foreach (var chain in inputs.Where(c => AppliesTo(c.Family)))
            {
                var walk = WalkChain(ruleset, chain, port, 0);
                var what = $"{port.Protocol.ToUpperInvariant()} {port.Port} ({port.Purpose})";
                if (walk.Outcome == Outcome.Dropped)
                {
                    blocked.Add($"{what} dropped by {walk.Why}");
                    fixChain ??= chain.Display;
                    break;
                }
                if (walk.Doubt is not null)
                {
                    doubtful.Add($"{what}: {walk.Doubt}");
                }
            }
        }
        if (blocked.Count > 0)
        {
            var ports = string.Join(", ", facts.RequiredPorts.Select(p => $"{p.Protocol} dport {p.Port}"));
            return CheckResult.Failed("firewall", string.Join("; ", blocked), $"nft insert rule {fixChain} ip saddr {{ PEER-ADDRESSES }} accept   (or accept {ports})");
        }
        if (doubtful.Count > 0)
        {
            return CheckResult.Warning("firewall", string.Join("; ", doubtful), "make sure those rules match the peers' addresses ('nft list ruleset')");
        }
        return CheckResult.Ok("firewall", $"the input chains let {string.Join(", ", facts.RequiredPorts.Select(p => $"{p.Protocol}/{p.Port}"))} through");
    }

    private static bool AppliesTo(string family) => family is "inet" or "ip" or "ip6";

    private static Walk WalkChain(NftRuleset ruleset, NftChain chain, RequiredPort port, int depth)
    {
        string? doubt = null;
        foreach (var rule in ruleset.Rules.Where(r => r.Family == chain.Family && r.Table == chain.Table && r.Chain == chain.Name))
        {
            var match = Matches(rule, port);
            if (match == Match.No || rule.Verdict is null)
            {
                continue;
            }
            var where = $"rule {rule.Handle} in {chain.Display}";
            switch (rule.Verdict)
            {
                case "accept":
                    if (match == Match.Yes)
                    {
                        return new Walk(Outcome.Accepted, where, doubt);
                    }
                    doubt ??= $"accepted only by {where}, which matches some packets ({Conditions(rule)})";
                    break;
                case "drop" or "reject":
                    if (match == Match.Yes)
                    {
                        return new Walk(Outcome.Dropped, where, doubt);
                    }
                    doubt ??= $"{where} drops some packets ({Conditions(rule)})";
                    break;
                case "return":
                    if (match == Match.Yes)
                    {
                        return new Walk(Outcome.FellThrough, where, doubt);
                    }
                    break;
                case "jump" or "goto":
                    var target = ruleset.Chains.FirstOrDefault(c => c.Family == chain.Family && c.Table == chain.Table && c.Name == rule.Target);
                    if (target is null || depth >= MaxJumpDepth)
                    {
                        doubt ??= $"{where} jumps to '{rule.Target}', which was not followed";
                        break;
                    }
                    var sub = WalkChain(ruleset, target, port, depth + 1);
                    doubt ??= sub.Doubt;
                    if (match == Match.Yes && sub.Outcome != Outcome.FellThrough)
                    {
                        return sub with { Doubt = doubt };
                    }
                    if (match == Match.Maybe && sub.Outcome != Outcome.FellThrough)
                    {
                        doubt ??= $"{sub.Why} applies to some packets ({Conditions(rule)})";
                    }
                    if (rule.Verdict == "goto" && match == Match.Yes)
                    {
                        return new Walk(Outcome.FellThrough, where, doubt);
                    }
                    break;
            }
        }
        if (chain.Hook is null)
        {
            return new Walk(Outcome.FellThrough, chain.Display, doubt);
        }
        return chain.Policy == "drop"
            ? new Walk(doubt is null ? Outcome.Dropped : Outcome.Accepted, $"the policy of {chain.Display} (no rule accepts it)", doubt)
            : new Walk(Outcome.Accepted, $"the policy of {chain.Display}", doubt);
    }

    private enum Match
    {
        No,
        Maybe,
        Yes,
    }

    private static Match Matches(NftRule rule, RequiredPort port)
    {
        var result = Match.Yes;
        foreach (var condition in rule.Conditions)
        {
            var one = condition switch
            {
                NftCondition.DestinationPort p => (p.Protocol == port.Protocol && p.Ranges.Any(r => r.From <= port.Port && port.Port <= r.To)) != p.Negated ? Match.Yes : Match.No,
                NftCondition.L4Protocol p => p.Protocols.Contains(port.Protocol) != p.Negated ? Match.Yes : Match.No,
                NftCondition.NotForNewPeerTraffic => Match.No,
                NftCondition.NewTraffic => Match.Yes,
                _ => Match.Maybe,
            };
            if (one == Match.No)
            {
                return Match.No;
            }
            if (one == Match.Maybe)
            {
                result = Match.Maybe;
            }
        }
        return result;
    }

    private static string Conditions(NftRule rule) =>
        string.Join(", ", rule.Conditions.OfType<NftCondition.Other>().Select(c => c.Text));
}
