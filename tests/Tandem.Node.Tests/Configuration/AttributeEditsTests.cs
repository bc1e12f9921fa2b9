using Tandem.Model;
using Tandem.Model.Text;
using Tandem.Node.Configuration;

namespace Tandem.Node.Tests.Configuration;

/// <summary>crm_attribute's permanent node attributes and cluster properties as configuration edits.</summary>
public class AttributeEditsTests
{
    private static readonly ClusterConfiguration Base = TextParser.Parse("""
        node 1: astapor attributes site=north
        property stonith-enabled=false
        primitive vip ocf:heartbeat:Dummy
        """);

    [Fact]
    public void A_new_attribute_goes_to_the_node_s_block_and_an_existing_one_is_changed_in_place()
    {
        var added = AttributeEdits.SetNodeAttribute(Base, 1, "astapor", "standby", "on")!;
        Assert.Equal("on", AttributeEdits.NodeAttributes(added, "astapor")["standby"]);
        Assert.Single(added.FindNode("astapor")!.Attributes);
        var changed = AttributeEdits.SetNodeAttribute(added, 1, "astapor", "site", "south")!;
        Assert.Equal("south", AttributeEdits.NodeAttributes(changed, "astapor")["site"]);
        Assert.Equal(2, changed.FindNode("astapor")!.Attributes.Single().Pairs.Count);
    }

    [Fact]
    public void A_node_not_yet_in_the_configuration_is_added_with_its_corosync_id()
    {
        var edited = AttributeEdits.SetNodeAttribute(Base, 2, "braavos", "standby", "on")!;
        var node = edited.FindNode("braavos")!;
        Assert.Equal("2", node.Id);
        Assert.Equal("nodes-2", node.Attributes.Single().Id);
        Assert.Equal("on", AttributeEdits.NodeAttributes(edited, "braavos")["standby"]);
    }

    [Fact]
    public void Edits_that_change_nothing_return_null()
    {
        Assert.Null(AttributeEdits.SetNodeAttribute(Base, 1, "astapor", "site", "north"));
        Assert.Null(AttributeEdits.DeleteNodeAttribute(Base, "astapor", "absent"));
        Assert.Null(AttributeEdits.DeleteNodeAttribute(Base, "braavos", "site"));
        Assert.Null(AttributeEdits.SetProperty(Base, "stonith-enabled", "false"));
        Assert.Null(AttributeEdits.DeleteProperty(Base, "no-quorum-policy"));
    }

    [Fact]
    public void Deleting_removes_the_attribute()
    {
        var edited = AttributeEdits.DeleteNodeAttribute(Base, "astapor", "site")!;
        Assert.False(AttributeEdits.NodeAttributes(edited, "astapor").ContainsKey("site"));
    }

    [Fact]
    public void Properties_are_set_and_deleted_in_the_bootstrap_block()
    {
        var set = AttributeEdits.SetProperty(Base, "no-quorum-policy", "freeze")!;
        Assert.Equal("freeze", set.Options["no-quorum-policy"]);
        Assert.Equal("false", set.Options["stonith-enabled"]);
        Assert.Equal("cib-bootstrap-options", set.Properties.Single().Id);
        var changed = AttributeEdits.SetProperty(set, "stonith-enabled", "true")!;
        Assert.True(changed.Options.StonithEnabled);
        var deleted = AttributeEdits.DeleteProperty(changed, "no-quorum-policy")!;
        Assert.Null(deleted.Options["no-quorum-policy"]);
    }

    [Fact]
    public void A_configuration_without_properties_gets_the_bootstrap_block()
    {
        var edited = AttributeEdits.SetProperty(ClusterConfiguration.Empty, "stonith-enabled", "false")!;
        Assert.Equal("cib-bootstrap-options-stonith-enabled", edited.Properties.Single().Pairs.Single().Id);
    }
}
