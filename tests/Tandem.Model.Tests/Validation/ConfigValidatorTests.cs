using Tandem.Model.Cib;
using Tandem.Model.Diagnostics;
using Tandem.Model.Text;
using Tandem.Model.Validation;

namespace Tandem.Model.Tests.Validation;

public sealed class ConfigValidatorTests
{
    private const string Nodes = "node n1\nnode n2\nnode n3\nprimitive fence stonith:fence_ipmilan op monitor interval=60s\n";

    private static IReadOnlyList<Diagnostic> Verify(string text) => ConfigValidator.Validate(TextParser.Parse(text));

    private static IEnumerable<string?> Codes(string text) => Verify(text).Select(d => d.Code);

    [Fact]
    public void A_sound_configuration_has_no_findings() =>
        Assert.Empty(Verify(Nodes + """
            primitive web ocf:heartbeat:apache op monitor interval=30s
            primitive ip ocf:heartbeat:IPaddr2 params ip=10.0.0.5 op monitor interval=10s
            group g ip web
            location prefer-n1 g 100: n1
            property cib-bootstrap-options: stonith-enabled=true no-quorum-policy=stop
            rsc_defaults rsc-options: resource-stickiness=100 migration-threshold=1
            """));

    [Fact]
    public void The_seed_configuration_explains_its_two_risky_settings_in_plain_words()
    {
        var findings = ConfigValidator.Validate(TextParser.Parse(Seed.SeedConfiguration.Text));
        var fencing = Assert.Single(findings, d => d.Code == "fencing-disabled");
        Assert.Contains("nothing will stop a lost node from still running the service: split brain possible", fencing.Message, StringComparison.Ordinal);
        var quorum = Assert.Single(findings, d => d.Code == "quorum-ignored");
        Assert.Contains("two-node cluster", quorum.Message, StringComparison.Ordinal);
        Assert.Contains("both nodes running it", quorum.Message, StringComparison.Ordinal);
        // The guide sets two resource options as cluster properties, where Pacemaker ignores them.
        Assert.Equal(["migration-threshold", "resource-stickiness"],
            findings.Where(d => d.Code == "resource-option-as-property").Select(d => d.Message.Split('\'')[1]).Order());
        Assert.DoesNotContain(findings, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Duplicate_ids_are_errors_naming_both_owners()
    {
        var finding = Assert.Single(Verify(Nodes + "primitive web ocf:heartbeat:apache op monitor interval=30s\nlocation web web 100: n1"),
            d => d.Code == "duplicate-id");
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.Contains("by primitive 'web' and by location 'web'", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colocation c1 inf: web ghost", "colocation 'c1' names resource 'ghost', which does not exist")]
    [InlineData("order o1 inf: ghost web", "order 'o1' names resource 'ghost', which does not exist")]
    [InlineData("location l1 ghost 100: n1", "location 'l1' names resource 'ghost', which does not exist")]
    [InlineData("primitive p2 @nothing", "primitive 'p2' is based on template 'nothing', which does not exist")]
    [InlineData("tag t1: web ghost", "tag 't1' names resource 'ghost', which does not exist")]
    [InlineData("fencing_level fl1 index=1 target=n1 devices=web", "fencing level 'fl1' names 'web', which is not a fence device")]
    public void Dangling_references_are_errors(string statement, string expected)
    {
        var findings = Verify(Nodes + "primitive web ocf:heartbeat:apache op monitor interval=30s\n" + statement);
        Assert.Contains(findings, d => d.Severity == DiagnosticSeverity.Error && d.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_location_for_an_unknown_node_is_a_warning() =>
        Assert.Contains("unknown-node", Codes(Nodes + "primitive web ocf:heartbeat:apache op monitor interval=30s\nlocation l1 web 100: n9"));

    [Theory]
    [InlineData("meta target-role=Runing", "target-role='Runing' is not valid (expected Stopped, Started, Unpromoted or Promoted)")]
    [InlineData("meta resource-stickiness=lots", "resource-stickiness='lots' is not valid (expected a score")]
    [InlineData("meta failure-timeout=soon", "failure-timeout='soon' is not valid (expected a duration")]
    [InlineData("meta is-managed=maybe", "is-managed='maybe' is not valid (expected true or false)")]
    public void Unparsable_meta_values_are_errors(string meta, string expected)
    {
        var findings = Verify(Nodes + $"primitive web ocf:heartbeat:apache {meta} op monitor interval=30s");
        var finding = Assert.Single(findings, d => d.Code == "invalid-value");
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", true)]
    [InlineData("0", true)]
    [InlineData("-1", true)]
    [InlineData("PT1M", true)]
    [InlineData("soon", false)]
    [InlineData("-5s", false)]
    public void The_watchdog_timeout_is_a_duration_or_a_negative_number(string value, bool valid) =>
        Assert.Equal(valid, !Codes(Nodes + $"primitive web ocf:heartbeat:apache op monitor interval=30s\nproperty cib-bootstrap-options: stonith-watchdog-timeout={value}").Contains("invalid-value"));

    [Theory]
    [InlineData("primitive web ocf:heartbeat:apache meta migation-threshold=1 op monitor interval=30s", "unknown meta attribute 'migation-threshold' (did you mean 'migration-threshold'?)")]
    [InlineData("primitive web ocf:heartbeat:apache op monitor interval=30s\nproperty cib-bootstrap-options: stonith-enable=true", "unknown cluster property 'stonith-enable' (did you mean 'stonith-enabled'?)")]
    [InlineData("primitive web ocf:heartbeat:apache op monitor interval=30s\nproperty cib-bootstrap-options: no_quorum_policy=stop", "did you mean 'no-quorum-policy'?")]
    public void Probable_typos_are_warnings_with_a_suggestion(string text, string expected) =>
        Assert.Contains(Verify(Nodes + text), d => d.Code == "unknown-option" && d.Message.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Unknown_meta_names_far_from_any_known_one_are_left_alone() =>
        Assert.DoesNotContain("unknown-option", Codes(Nodes + "primitive web ocf:heartbeat:apache meta my-site-tag=blue op monitor interval=30s"));

    [Fact]
    public void A_colocation_both_with_and_against_the_same_pair_is_a_contradiction()
    {
        var finding = Assert.Single(Verify(Nodes + """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            primitive b ocf:heartbeat:Dummy op monitor interval=10s
            colocation together inf: a b
            colocation apart -inf: b a
            """), d => d.Code == "contradictory-constraints");
        Assert.Contains("'together' keeps 'a' with 'b' (INFINITY) but colocation 'apart' keeps them apart (-INFINITY)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Colocations_for_different_roles_do_not_contradict() =>
        Assert.DoesNotContain("contradictory-constraints", Codes(Nodes + """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            primitive s ocf:pacemaker:Stateful op monitor interval=10s
            clone ms s meta promotable=true
            colocation with-promoted inf: a ms:Promoted
            colocation not-with-unpromoted -inf: a ms:Unpromoted
            """));

    [Fact]
    public void A_location_both_required_and_banned_on_a_node_is_a_contradiction()
    {
        var finding = Assert.Single(Verify(Nodes + """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            location must a inf: n1
            location never a -inf: n1
            """), d => d.Code == "contradictory-constraints");
        Assert.Contains("the ban wins, so 'a' never runs on n1", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mandatory_orders_in_a_loop_are_an_error_optional_ones_are_not()
    {
        const string resources = """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            primitive b ocf:heartbeat:Dummy op monitor interval=10s
            primitive c ocf:heartbeat:Dummy op monitor interval=10s
            order o1 Mandatory: a b
            order o2 inf: b c

            """;
        var loop = Assert.Single(Verify(Nodes + resources + "order o3 c a"), d => d.Code == "order-loop");
        Assert.Contains("a start before b start before c start before a start", loop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("order-loop", Codes(Nodes + resources + "order o3 Optional: c a"));
        Assert.DoesNotContain("order-loop", Codes(Nodes + resources + "order o3 c:start a:promote"));
    }

    [Fact]
    public void Resources_that_can_run_nowhere_are_reported()
    {
        Assert.Contains("unplaceable", Codes(Nodes + """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            location b1 a -inf: n1
            location b2 a -inf: n2
            location b3 a -inf: n3
            """));
        var optIn = Verify(Nodes + """
            primitive a ocf:heartbeat:Dummy op monitor interval=10s
            primitive b ocf:heartbeat:Dummy op monitor interval=10s
            location allow-a a 100: n1
            location allow-fence fence 0: n2
            property cib-bootstrap-options: symmetric-cluster=false
            """);
        var finding = Assert.Single(optIn, d => d.Code == "unplaceable");
        Assert.Contains("'b'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fencing_enabled_without_a_device_is_an_error()
    {
        var finding = Assert.Single(Verify("node n1\nnode n2\nprimitive a ocf:heartbeat:Dummy op monitor interval=10s"), d => d.Code == "no-fence-device");
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Ignoring_quorum_on_more_than_two_nodes_is_explained_differently()
    {
        var finding = Assert.Single(Verify(Nodes + "property cib-bootstrap-options: no-quorum-policy=ignore"), d => d.Code == "quorum-ignored");
        Assert.DoesNotContain("two-node", finding.Message, StringComparison.Ordinal);
        Assert.Contains("lost quorum keeps running", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_without_a_monitor_is_noted()
    {
        var finding = Assert.Single(Verify(Nodes + "primitive quiet ocf:heartbeat:Dummy"), d => d.Code == "no-monitor");
        Assert.Equal(DiagnosticSeverity.Info, finding.Severity);
        Assert.Contains("'quiet'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_corpus_configuration_validates_and_the_findings_agree_with_the_features()
    {
        var features = File.ReadAllLines(Path.Combine(Corpus.Directory, "features.tsv"))
            .Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f.Length > 1 ? f[1].Split(',') : []);
        foreach (var file in Corpus.AllFiles)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var findings = ConfigValidator.Validate(CibImport.Parse(File.ReadAllText(file)).Configuration);
            Assert.True(findings.Any(d => d.Code == "fencing-disabled") == features[name].Contains("fencing-disabled"), name);
            Assert.True(findings.Any(d => d.Code == "quorum-ignored") == features[name].Contains("no-quorum-policy=ignore"), name);
        }
    }
}
