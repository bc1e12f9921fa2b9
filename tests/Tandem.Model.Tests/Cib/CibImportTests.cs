using Tandem.Model.Attributes;
using Tandem.Model.Cib;
using Tandem.Model.Cluster;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;

namespace Tandem.Model.Tests.Cib;

public sealed class CibImportTests
{
    private static CibDocument Import(string configuration, string status = "<status/>", string root = "admin_epoch=\"1\" epoch=\"7\" num_updates=\"3\" validate-with=\"pacemaker-3.7\" have-quorum=\"1\"") =>
        CibImport.Parse($"<cib {root}>\n<configuration>\n{configuration}\n</configuration>\n{status}\n</cib>");

    private const string TwoNodes = """
        <crm_config><cluster_property_set id="cib-bootstrap-options">
          <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
          <nvpair id="opt-nqp" name="no-quorum-policy" value="ignore"/>
        </cluster_property_set></crm_config>
        <nodes><node id="1" uname="astapor"/><node id="2" uname="braavos" type="member">
          <instance_attributes id="n2-attrs"><nvpair id="n2-standby" name="standby" value="on"/></instance_attributes></node></nodes>
        """;

    [Fact]
    public void Reads_the_header_properties_and_nodes()
    {
        var doc = Import(TwoNodes + "<resources/><constraints/>", root: "admin_epoch=\"1\" epoch=\"7\" num_updates=\"3\" have-quorum=\"false\" dc-uuid=\"2\" execution-date=\"1493818404\"");
        Assert.Equal(new ConfigVersion(1, 7, 3), doc.Header.Version);
        Assert.False(doc.Header.HaveQuorum);
        Assert.Equal("2", doc.Header.DcUuid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1493818404), doc.Header.ExecutionDate);
        Assert.False(doc.Configuration.Options.StonithEnabled);
        Assert.Equal(NoQuorumPolicy.Ignore, doc.Configuration.Options.NoQuorumPolicy);
        Assert.True(doc.Configuration.Options.SymmetricCluster);
        Assert.Equal(["astapor", "braavos"], doc.Configuration.Nodes.Select(n => n.Uname));
        Assert.Equal("on", doc.Configuration.Nodes[1].Attributes.Resolve()["standby"]);
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Gives_access_to_the_status_section()
    {
        var doc = Import(TwoNodes, "<status><node_state id=\"1\" uname=\"astapor\" in_ccm=\"true\"/></status>");
        Assert.Equal("astapor", (string?)doc.Status!.Element("node_state")!.Attribute("uname"));
    }

    [Fact]
    public void Reads_a_primitive_with_params_meta_and_operations()
    {
        var doc = Import(TwoNodes + """
            <resources>
              <primitive id="VIP1" class="ocf" provider="heartbeat" type="IPaddr2" description="floating IP">
                <instance_attributes id="VIP1-params"><nvpair id="VIP1-ip" name="ip" value="172.17.18.190"/></instance_attributes>
                <meta_attributes id="VIP1-meta"><nvpair id="VIP1-tr" name="target-role" value="Started"/></meta_attributes>
                <operations>
                  <op id="VIP1-monitor-30s" name="monitor" interval="30s" timeout="30s" on-fail="restart" role="Slave" start-delay="1m" record-pending="true" enabled="false"/>
                  <op id="VIP1-start-0" name="start" interval="0"/>
                </operations>
              </primitive>
            </resources>
            """);
        var vip = Assert.IsType<Primitive>(Assert.Single(doc.Configuration.Resources));
        Assert.Equal(new ResourceAgent("ocf", "heartbeat", "IPaddr2"), vip.Agent);
        Assert.Equal("floating IP", vip.Description);
        Assert.Equal("172.17.18.190", vip.Params.Resolve()["ip"]);
        Assert.Equal(Role.Started, vip.UnconditionalMeta.TargetRole);
        var monitor = vip.Operations[0];
        Assert.Equal(30_000, monitor.Interval.Milliseconds);
        Assert.Equal(30_000, monitor.Timeout!.Value.Milliseconds);
        Assert.Equal(Role.Unpromoted, monitor.Role);
        Assert.Equal(OnFail.Restart, monitor.OnFail);
        Assert.Equal(60_000, monitor.StartDelay!.Value.Milliseconds);
        Assert.True(monitor.RecordPending);
        Assert.False(monitor.Enabled);
        Assert.True(monitor.IsRecurring);
        Assert.False(vip.Operations[1].IsRecurring);
        Assert.Null(vip.Operations[1].Timeout);
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Reads_groups_clones_and_promotable_clones()
    {
        var doc = Import(TwoNodes + """
            <resources>
              <group id="zcsgroup"><primitive id="zcs_fs" class="ocf" provider="heartbeat" type="Filesystem"/>
                <primitive id="zcs_service" class="ocf" provider="btactic" type="zimbra"/></group>
              <clone id="ping-clone"><meta_attributes id="pc-meta"><nvpair id="pc-i" name="interleave" value="true"/></meta_attributes>
                <primitive id="ping" class="ocf" provider="pacemaker" type="ping"/></clone>
              <clone id="drbd_ms"><meta_attributes id="ms-meta">
                  <nvpair id="ms-p" name="promotable" value="true"/><nvpair id="ms-mm" name="master-max" value="1"/>
                  <nvpair id="ms-cm" name="clone-max" value="2"/><nvpair id="ms-n" name="notify" value="true"/></meta_attributes>
                <primitive id="drbd" class="ocf" provider="linbit" type="drbd"/></clone>
            </resources>
            """);
        var resources = doc.Configuration.Resources;
        Assert.Equal(["zcs_fs", "zcs_service"], Assert.IsType<Group>(resources[0]).Members.Select(m => m.Id));
        var ping = Assert.IsType<Clone>(resources[1]);
        Assert.False(ping.IsPromotable);
        Assert.True(ping.UnconditionalMeta.Interleave);
        var ms = Assert.IsType<Clone>(resources[2]);
        Assert.True(ms.IsPromotable);
        Assert.Equal(1, ms.UnconditionalMeta.PromotedMax);
        Assert.Equal(2, ms.UnconditionalMeta.CloneMax);
        Assert.True(ms.UnconditionalMeta.Notify);
        Assert.Equal("zcsgroup", doc.Configuration.ParentOf("zcs_service")!.Id);
        Assert.Equal(["zcsgroup", "zcs_fs", "zcs_service", "ping-clone", "ping", "drbd_ms", "drbd"], doc.Configuration.AllResources.Select(r => r.Id));
    }

    [Fact]
    public void Reads_the_old_master_element_as_a_promotable_clone_and_says_so()
    {
        var doc = Import(TwoNodes + """
            <resources><master id="ms1"><meta_attributes id="ms1-meta"><nvpair id="ms1-pm" name="promotable" value="false"/>
              <nvpair id="ms1-mnm" name="master-node-max" value="2"/></meta_attributes>
              <primitive id="stateful" class="ocf" provider="pacemaker" type="Stateful"/></master></resources>
            """);
        var ms = Assert.IsType<Clone>(Assert.Single(doc.Configuration.Resources));
        Assert.True(ms.IsPromotable);
        Assert.Equal(2, ms.UnconditionalMeta.PromotedNodeMax);
        var info = Assert.Single(doc.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Contains("<master id=\"ms1\">", info.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_constraints_with_roles_actions_rules_and_sets()
    {
        var doc = Import(TwoNodes + """
            <resources><primitive id="A" class="ocf" provider="heartbeat" type="Dummy"/><primitive id="B" class="ocf" provider="heartbeat" type="Dummy"/></resources>
            <constraints>
              <rsc_location id="l1" rsc="A" node="astapor" score="-INFINITY"/>
              <rsc_location id="l2" rsc="A" role="Master" resource-discovery="exclusive">
                <rule id="l2-r" score="100" boolean-op="or">
                  <expression id="l2-e1" attribute="#uname" operation="eq" value="braavos"/>
                  <expression id="l2-e2" attribute="site" operation="not_defined"/>
                  <expression id="l2-e3" attribute="cpus" operation="gte" value="4" type="integer"/>
                </rule>
              </rsc_location>
              <rsc_colocation id="c1" rsc="A" with-rsc="B" score="INFINITY" rsc-role="Started" with-rsc-role="Master"/>
              <rsc_order id="o1" first="B" first-action="promote" then="A" then-action="start" kind="Optional" symmetrical="false"/>
              <rsc_order id="o2"><resource_set id="s1" sequential="false" require-all="false" action="start"><resource_ref id="A"/><resource_ref id="B"/></resource_set>
                <resource_set id-ref="s1"/></rsc_order>
            </constraints>
            """);
        var c = doc.Configuration.Constraints;
        var l1 = Assert.IsType<LocationConstraint>(c[0]);
        Assert.Equal(("A", "astapor", Score.MinusInfinity), (l1.Resource, l1.Node, l1.Score!.Value));
        var l2 = Assert.IsType<LocationConstraint>(c[1]);
        Assert.Equal(Role.Promoted, l2.Role);
        Assert.Equal(ResourceDiscovery.Exclusive, l2.Discovery);
        var rule = Assert.Single(l2.Rules);
        Assert.Equal((BooleanOperator.Or, new Score(100)), (rule.BooleanOp, rule.Score!.Value));
        var e3 = Assert.IsType<AttributeExpression>(rule.Expressions[2]);
        Assert.Equal(("cpus", ComparisonOperator.Gte, "4", Rules.ValueType.Integer), (e3.Attribute, e3.Operation, e3.Value, e3.Type!.Value));
        Assert.Equal(ComparisonOperator.NotDefined, Assert.IsType<AttributeExpression>(rule.Expressions[1]).Operation);
        var c1 = Assert.IsType<ColocationConstraint>(c[2]);
        Assert.Equal((Role.Started, Role.Promoted, Score.Infinity), (c1.ResourceRole!.Value, c1.WithResourceRole!.Value, c1.Score!.Value));
        var o1 = Assert.IsType<OrderConstraint>(c[3]);
        Assert.Equal((ResourceAction.Promote, ResourceAction.Start, OrderKind.Optional, false), (o1.FirstAction!.Value, o1.ThenAction!.Value, o1.Kind!.Value, o1.Symmetrical!.Value));
        var o2 = Assert.IsType<OrderConstraint>(c[4]);
        Assert.Equal(["A", "B"], o2.Sets[0].Resources);
        Assert.Equal(o2.Sets[0] with { IdRef = "s1" }, o2.Sets[1]);
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Expands_templates_as_Pacemaker_does()
    {
        var doc = Import(TwoNodes + """
            <resources>
              <template id="tmpl" class="ocf" provider="heartbeat" type="Dummy">
                <instance_attributes id="tmpl-params"><nvpair id="tmpl-fake" name="fake" value="template"/></instance_attributes>
                <operations><op id="tmpl-mon" name="monitor" interval="10s"/><op id="tmpl-start" name="start" interval="0" timeout="60s"/></operations>
              </template>
              <primitive id="rsc1" template="tmpl">
                <operations><op id="rsc1-mon" name="monitor" interval="20s"/></operations>
              </primitive>
            </resources>
            """);
        var rsc1 = Assert.IsType<Primitive>(Assert.Single(doc.Configuration.Resources));
        Assert.Null(rsc1.Agent);
        var expanded = doc.Configuration.Expand(rsc1);
        Assert.Equal("ocf:heartbeat:Dummy", expanded.Agent!.ToString());
        Assert.Equal("template", expanded.Params.Resolve()["fake"]);
        Assert.Equal(["rsc1-mon", "tmpl-start"], expanded.Operations.Select(o => o.Id));
    }

    [Fact]
    public void Reports_a_missing_template()
    {
        var doc = Import(TwoNodes + "<resources><primitive id=\"rsc1\" template=\"nope\"/></resources>");
        var error = Assert.Single(doc.Errors);
        Assert.Contains("template 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Follows_id_references_of_attribute_blocks_pairs_and_rules()
    {
        var doc = Import(TwoNodes + """
            <resources>
              <primitive id="A" class="ocf" provider="heartbeat" type="Dummy">
                <meta_attributes id="shared-meta"><nvpair id="shared-stick" name="resource-stickiness" value="50"/></meta_attributes></primitive>
              <primitive id="B" class="ocf" provider="heartbeat" type="Dummy">
                <meta_attributes id-ref="shared-meta"/>
                <instance_attributes id="B-params"><nvpair id-ref="shared-stick"/></instance_attributes></primitive>
            </resources>
            """);
        var b = Assert.IsType<Primitive>(doc.Configuration.Resources[1]);
        Assert.Equal("shared-meta", b.Meta[0].IdRef);
        Assert.Equal(new Score(50), b.UnconditionalMeta.Stickiness);
        Assert.Equal("50", b.Params.Resolve()["resource-stickiness"]);
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Orders_attribute_blocks_by_score_and_applies_rules()
    {
        var doc = Import(TwoNodes + """
            <resources><primitive id="A" class="ocf" provider="heartbeat" type="Dummy">
              <instance_attributes id="low" score="1"><nvpair id="low-x" name="x" value="low"/><nvpair id="low-y" name="y" value="low"/></instance_attributes>
              <instance_attributes id="high" score="10"><nvpair id="high-x" name="x" value="high"/></instance_attributes>
              <instance_attributes id="ruled" score="100"><rule id="ruled-r" score="0"><expression id="ruled-e" attribute="#uname" operation="eq" value="braavos"/></rule>
                <nvpair id="ruled-y" name="y" value="braavos"/></instance_attributes>
            </primitive></resources>
            """);
        var a = doc.Configuration.Resources[0];
        Assert.Equal(["ruled", "high", "low"], a.Params.InPrecedenceOrder().Select(s => s.Id));
        var unconditional = a.Params.Resolve();
        Assert.Equal(("high", "low"), (unconditional["x"], unconditional["y"]));
        Assert.Equal("braavos", a.Params.Resolve(_ => true)["y"]);
    }

    [Fact]
    public void Reports_unsupported_and_unknown_content_by_name_and_line()
    {
        var doc = Import(TwoNodes + """
            <resources><primitive id="A" class="ocf" provider="heartbeat" type="Dummy" colour="blue"/>
              <widget id="w1"/></resources>
            <constraints><rsc_ticket id="t1" rsc="A" ticket="ticketA" loss-policy="stop"/></constraints>
            <alerts><alert id="a1" path="/bin/true"/></alerts>
            """);
        var messages = doc.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("line 8: warning: unknown attribute 'colour' on <primitive id=\"A\">", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("line 9: warning: unknown element <widget id=\"w1\"> in resources", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("line 10: unsupported: unsupported element <rsc_ticket id=\"t1\"> in constraints", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("line 11: unsupported: unsupported element <alerts> in configuration", StringComparison.Ordinal));
        var ticket = Assert.IsType<TicketConstraint>(Assert.Single(doc.Configuration.Constraints));
        Assert.Equal(("ticketA", "A"), (ticket.Ticket, ticket.Resource));
    }

    [Fact]
    public void Reads_invalid_values_as_Pacemaker_does_and_reports_them_with_the_line()
    {
        var doc = Import(TwoNodes + """
            <resources><primitive id="A" class="ocf" provider="heartbeat" type="Dummy">
              <operations><op id="A-mon" name="monitor" interval="often" timeout="20s" on-fail="explode"/></operations></primitive></resources>
            <constraints><rsc_location id="l1" rsc="A" node="astapor" score="lots"/>
              <rsc_order id="o1" first="A" then="A" kind="foo"/></constraints>
            """);
        var op = ((Primitive)doc.Configuration.Resources[0]).Operations[0];
        Assert.Equal(0, op.Interval.Milliseconds);
        Assert.Null(op.OnFail);
        Assert.Equal(Score.Zero, ((LocationConstraint)doc.Configuration.Constraints[0]).Score);
        Assert.Equal(OrderKind.Mandatory, ((OrderConstraint)doc.Configuration.Constraints[1]).Kind);
        var errors = doc.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, m => m.StartsWith("line 9: error: attribute 'interval' of <op id=\"A-mon\">: invalid duration 'often'", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.StartsWith("line 9: error: attribute 'on-fail' of <op id=\"A-mon\">: invalid value 'explode'", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.StartsWith("line 10: error: attribute 'score' of <rsc_location id=\"l1\">: invalid score 'lots'", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.StartsWith("line 11: error: attribute 'kind' of <rsc_order id=\"o1\">: invalid value 'foo'", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_duplicate_ids()
    {
        var doc = Import(TwoNodes + "<resources><primitive id=\"A\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/><primitive id=\"A\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></resources>");
        var error = Assert.Single(doc.Errors);
        Assert.Contains("duplicate id 'A'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<cib><configuration><nodes></configuration></cib>", "line 1: malformed XML")]
    [InlineData("<cib>\n<configuration>\n<nodes>\n</cib>", "line 4: malformed XML")]
    [InlineData("<cib><status/></cib>", "line 1: no <configuration> element in <cib>")]
    [InlineData("", "malformed XML: Root element is missing")]
    public void Refuses_unreadable_input_with_one_line_naming_the_line(string xml, string expectedStart)
    {
        var e = Assert.Throws<CibFormatException>(() => CibImport.Parse(xml));
        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
