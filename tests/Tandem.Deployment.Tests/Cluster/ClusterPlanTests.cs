using Tandem.Corosync;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Tests.Cluster;

public class ClusterPlanTests
{
    [Fact]
    public void Two_nodes_get_two_node_quorum_and_the_explanation_says_fencing_matters()
    {
        var (spec, why) = ClusterPlan.Make("zcs", ["astapor=172.17.18.191", "braavos=172.17.18.192"], "astapor", null, null);
        Assert.Equal(QuorumMode.TwoNode, spec.Quorum);
        Assert.Equal([1u, 2u], spec.Nodes.Select(n => n.Id));
        Assert.Equal(CorosyncConfig.LanProfileTokenMs, spec.TokenMs);
        Assert.Contains("fencing", why, StringComparison.Ordinal);
        Assert.Contains("two_node: 1", spec.ToCorosync().Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_quorum_device_is_used_when_given_and_three_nodes_use_a_majority()
    {
        var (qdevice, _) = ClusterPlan.Make("zcs", ["astapor=10.0.0.1", "braavos=10.0.0.2"], "astapor", "10.0.0.3", 2000);
        Assert.Equal(QuorumMode.QDevice, qdevice.Quorum);
        Assert.Contains("host: 10.0.0.3", qdevice.ToCorosync().Render(), StringComparison.Ordinal);
        Assert.Contains("token: 2000", qdevice.ToCorosync().Render(), StringComparison.Ordinal);
        var (three, why) = ClusterPlan.Make("zcs", ["a=10.0.0.1", "b=10.0.0.2", "c=10.0.0.3"], "b", null, null);
        Assert.Equal(QuorumMode.Majority, three.Quorum);
        Assert.Contains("at least 2 of the 3", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("astapor=10.0.0.1", "braavos=10.0.0.2", "meereen", "none of the nodes")]
    [InlineData("astapor=127.0.1.1", "braavos=10.0.0.2", "astapor", "loopback")]
    [InlineData("astapor=10.0.0.1", "braavos=10.0.0.1", "astapor", "two nodes")]
    [InlineData("astapor=10.0.0.1", "astapor=10.0.0.2", "astapor", "named twice")]
    [InlineData("astapor:10.0.0.1", "braavos=10.0.0.2", "astapor", "NAME=ADDRESS")]
    [InlineData("astapor=10.0.0.1", "braavos=somewhere", "astapor", "not an IP address")]
    public void Bad_plans_are_refused_with_one_line_naming_the_problem(string a, string b, string self, string expected)
    {
        var e = Assert.Throws<DeploymentException>(() => ClusterPlan.Make("zcs", [a, b], self, null, null));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_quorum_device_for_an_odd_number_of_nodes_is_refused()
    {
        var e = Assert.Throws<DeploymentException>(() => ClusterPlan.Make("zcs", ["a=10.0.0.1", "b=10.0.0.2", "c=10.0.0.3"], "a", "10.0.0.9", null));
        Assert.Contains("majority already decides", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_file_round_trips_and_a_newer_format_is_refused_not_misread()
    {
        var (spec, _) = ClusterPlan.Make("zcs", ["astapor=10.0.0.1", "braavos=10.0.0.2"], "astapor", null, null);
        var text = spec.Serialize();
        var back = ClusterSpec.Parse(text, "cluster.json");
        Assert.Equal(spec.Nodes, back.Nodes);
        Assert.Equal(spec.Quorum, back.Quorum);
        var newer = text.Replace("\"formatVersion\": 1", "\"formatVersion\": 2", StringComparison.Ordinal);
        var e = Assert.Throws<DeploymentException>(() => ClusterSpec.Parse(newer, "cluster.json"));
        Assert.Contains("newer Tandem", e.Message, StringComparison.Ordinal);
    }
}
