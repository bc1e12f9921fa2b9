using Tandem.Model;
using Tandem.Model.Status;
using Tandem.Model.Text;
using Tandem.Node.Status;

namespace Tandem.Node.Tests.Status;

/// <summary>Which failures a cleanup removes (crm_resource --cleanup semantics), and what it refuses.</summary>
public class FailureCleanupTests
{
    private static readonly ClusterConfiguration Configuration = TextParser.Parse("""
        primitive vip ocf:heartbeat:IPaddr2 params ip=10.0.0.1 op monitor interval=10s
        primitive web ocf:heartbeat:Dummy op monitor interval=10s
        primitive fs ocf:heartbeat:Dummy
        group app fs web
        primitive db ocf:pacemaker:Stateful
        clone db-clone db meta promotable=true
        """);

    private static int _callId;

    private static OperationUpdate Op(string resource, string operation, int rc, bool failed, uint intervalMs = 0) =>
        new(resource, "ocf", "heartbeat", "Dummy", new OperationRecord
        {
            Id = resource,
            Operation = operation,
            IntervalMs = intervalMs,
            CallId = Interlocked.Increment(ref _callId),
            RcCode = rc,
            OpStatus = 0,
        }, failed);

    private static IReadOnlyDictionary<string, NodeStatus> Status()
    {
        var store = new StatusStore("astapor");
        // astapor: vip failed its monitor, web runs fine.
        store.Apply(new StatusUpdate("astapor", [Op("vip", "start", 0, false), Op("vip", "monitor", 7, true, 10_000), Op("web", "start", 0, false)],
            [new AttributeChange("fail-count-vip#monitor_10000", "1"), new AttributeChange("last-failure-vip#monitor_10000", "1700000000"), new AttributeChange("master-db", "5")]));
        // braavos: vip failed to start, web failed its monitor, the db clone instance failed a promote.
        store.Apply(new StatusUpdate("braavos", [Op("vip", "start", 1, true), Op("web", "monitor", 1, true, 10_000), Op("db", "promote", 1, true)],
            [new AttributeChange("fail-count-vip#start_0", "INFINITY"), new AttributeChange("fail-count-web#monitor_10000", "1"), new AttributeChange("fail-count-db#promote_0", "1")]));
        return store.Nodes;
    }

    private static readonly string[] Nodes = ["astapor", "braavos"];

    [Fact]
    public void A_resource_is_cleaned_on_every_node_where_it_failed_and_only_its_own_failures_go()
    {
        var plan = FailureCleanup.Plan(Configuration, Status(), Nodes, "vip", null);
        Assert.Null(plan.Error);
        Assert.Equal([new CleanedResource("vip", "astapor"), new CleanedResource("vip", "braavos")], plan.Cleaned);
        var astapor = plan.Updates.Single(u => u.Node == "astapor");
        Assert.Equal(["vip"], astapor.Forget);
        Assert.Equal(["fail-count-vip#monitor_10000", "last-failure-vip#monitor_10000"], astapor.Attributes.Select(a => a.Name));
        Assert.All(astapor.Attributes, a => Assert.Null(a.Value));
        var braavos = plan.Updates.Single(u => u.Node == "braavos");
        Assert.Equal(["fail-count-vip#start_0"], braavos.Attributes.Select(a => a.Name));
    }

    [Fact]
    public void The_node_option_restricts_the_cleanup()
    {
        var plan = FailureCleanup.Plan(Configuration, Status(), Nodes, "vip", "braavos");
        Assert.Equal([new CleanedResource("vip", "braavos")], plan.Cleaned);
        Assert.Equal(["braavos"], plan.Updates.Select(u => u.Node));
    }

    [Fact]
    public void A_group_names_its_members_and_a_clone_its_instances()
    {
        var group = FailureCleanup.Plan(Configuration, Status(), Nodes, "app", null);
        Assert.Equal([new CleanedResource("web", "braavos")], group.Cleaned);
        var clone = FailureCleanup.Plan(Configuration, Status(), Nodes, "db-clone", null);
        Assert.Equal([new CleanedResource("db", "braavos")], clone.Cleaned);
        Assert.DoesNotContain(clone.Updates.SelectMany(u => u.Attributes), a => a.Name == "master-db");
    }

    [Fact]
    public void Without_a_resource_every_failure_goes_and_nothing_else()
    {
        var plan = FailureCleanup.Plan(Configuration, Status(), Nodes, null, null);
        Assert.Equal(["vip@astapor", "db@braavos", "vip@braavos", "web@braavos"], plan.Cleaned.Select(c => $"{c.Resource}@{c.Node}"));
        Assert.DoesNotContain("web", plan.Updates.Single(u => u.Node == "astapor").Forget);
        Assert.DoesNotContain(plan.Updates.SelectMany(u => u.Attributes), a => a.Name == "master-db");
    }

    [Fact]
    public void A_resource_without_failures_changes_nothing()
    {
        var store = new StatusStore("astapor");
        store.Apply(new StatusUpdate("astapor", [Op("fs", "start", 0, false)], []));
        var plan = FailureCleanup.Plan(Configuration, store.Nodes, Nodes, "fs", null);
        Assert.Null(plan.Error);
        Assert.Empty(plan.Updates);
        Assert.Empty(plan.Cleaned);
    }

    [Theory]
    [InlineData("nosuch", null, "no resource 'nosuch' in the configuration or the status")]
    [InlineData("vip", "winterfell", "no node 'winterfell' in the cluster (known: astapor, braavos)")]
    public void Unknown_resources_and_nodes_are_refused(string resource, string? node, string error)
    {
        var plan = FailureCleanup.Plan(Configuration, Status(), Nodes, resource, node);
        Assert.Equal(error, plan.Error);
        Assert.Empty(plan.Updates);
    }

    [Fact]
    public void A_resource_known_only_from_the_status_can_be_cleaned()
    {
        var store = new StatusStore("astapor");
        store.Apply(new StatusUpdate("astapor", [Op("old", "monitor", 1, true, 10_000)], [new AttributeChange("fail-count-old#monitor_10000", "1")]));
        var plan = FailureCleanup.Plan(Configuration, store.Nodes, Nodes, "old", null);
        Assert.Equal([new CleanedResource("old", "astapor")], plan.Cleaned);
    }

    [Theory]
    [InlineData("fail-count-vip#monitor_10000", "vip")]
    [InlineData("last-failure-db:1#promote_0", "db:1")]
    [InlineData("master-db", null)]
    [InlineData("fail-count-", null)]
    public void Failure_attributes_name_their_resource(string attribute, string? resource) =>
        Assert.Equal(resource, FailureCleanup.FailureOf(attribute));

    [Fact]
    public void Applying_the_cleanup_forgets_the_history_and_the_fail_counts()
    {
        var store = new StatusStore("astapor");
        foreach (var (node, status) in Status())
        {
            store.Apply(new NodeStatusAnnounce(node, [.. status.Resources.Values], status.Attributes));
        }
        foreach (var update in FailureCleanup.Plan(Configuration, store.Nodes, Nodes, "vip", null).Updates)
        {
            Assert.True(store.Apply(update));
        }
        Assert.DoesNotContain("vip", store.Node("astapor").Resources.Keys);
        Assert.Contains("web", store.Node("astapor").Resources.Keys);
        Assert.Equal(["master-db"], store.Node("astapor").Attributes.Keys);
        Assert.DoesNotContain("fail-count-vip#start_0", store.Node("braavos").Attributes.Keys);
    }
}
