using Tandem.Deployment.Doctor;

namespace Tandem.Deployment.Tests.Doctor;

/// <summary>Rulesets as `nft -j list ruleset` prints them, judged for the cluster's ports (udp 5405, tcp 7450).</summary>
public class FirewallChecksTests
{
    private static string Ruleset(string policy, params string[] rules)
    {
        var items = new List<string>
        {
            """{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}""",
            """{"table": {"family": "inet", "name": "filter", "handle": 1}}""",
            """{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "POLICY"}}""".Replace("POLICY", policy, StringComparison.Ordinal),
            """{"chain": {"family": "inet", "table": "filter", "name": "cluster", "handle": 2}}""",
        };
        for (var i = 0; i < rules.Length; i++)
        {
            var inCluster = rules[i].StartsWith("cluster:", StringComparison.Ordinal);
            var chain = inCluster ? "cluster" : "input";
            var expr = inCluster ? rules[i][8..] : rules[i];
            items.Add("{\"rule\": {\"family\": \"inet\", \"table\": \"filter\", \"chain\": \"" + chain + "\", \"handle\": " + (i + 10) + ", \"expr\": [" + expr + "]}}");
        }
        return "{\"nftables\": [" + string.Join(", ", items) + "]}";
    }

    private const string Established = """{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}""";
    private const string Loopback = """{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lo"}}, {"accept": null}""";
    private const string Ssh = """{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}""";
    private const string Corosync = """{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": {"set": [5405, 5406]}}}, {"accept": null}""";
    private const string Endpoint = """{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [7400, 7500]}}}, {"accept": null}""";
    private const string FromPeers = """{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 24}}}}, {"accept": null}""";
    private const string DropCorosync = """{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 5405}}, {"drop": null}""";
    private const string JumpCluster = """{"jump": {"target": "cluster"}}""";

    private static CheckResult Check(string json) =>
        FirewallChecks.Run(Facts.Good() with { Firewall = NftRuleset.Parse(json) });

    [Fact]
    public void No_input_chain_lets_everything_in()
    {
        Assert.Equal(Verdict.Ok, Check("""{"nftables": [{"metainfo": {"version": "1.0.6"}}]}""").Verdict);
    }

    [Fact]
    public void Policy_drop_without_rules_for_the_ports_fails_naming_them()
    {
        var result = Check(Ruleset("drop", Established, Loopback, Ssh));
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("UDP 5405", result.Detail, StringComparison.Ordinal);
        Assert.Contains("TCP 7450", result.Detail, StringComparison.Ordinal);
        Assert.Contains("inet filter input", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_drop_with_accept_rules_for_set_and_range_passes()
    {
        Assert.Equal(Verdict.Ok, Check(Ruleset("drop", Established, Corosync, Endpoint)).Verdict);
    }

    [Fact]
    public void Rules_in_a_jumped_to_chain_count()
    {
        Assert.Equal(Verdict.Ok, Check(Ruleset("drop", JumpCluster, "cluster:" + Corosync, "cluster:" + Endpoint)).Verdict);
    }

    [Fact]
    public void An_explicit_drop_before_the_accept_fails()
    {
        var result = Check(Ruleset("accept", DropCorosync, Corosync));
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains("rule 10", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepting_only_some_sources_is_a_warning()
    {
        var result = Check(Ruleset("drop", Established, FromPeers));
        Assert.Equal(Verdict.Warning, result.Verdict);
        Assert.Contains("saddr", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_not_a_ruleset()
    {
        Assert.Throws<FormatException>(() => NftRuleset.Parse("table inet filter {"));
    }
}
