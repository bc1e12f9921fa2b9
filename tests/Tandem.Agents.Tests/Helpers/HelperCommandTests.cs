using Tandem.Agents.Helpers;
using Tandem.Agents.LocalApi;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Helpers;

/// <summary>The helper commands in-process, with the calls real agents make (ocf-shellfuncs, linbit drbd,
/// pacemaker Stateful, galera, rabbitmq, ping).</summary>
public class HelperCommandTests
{
    private readonly InMemoryAgentApi _cluster = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal)
    {
        ["OCF_RESOURCE_INSTANCE"] = "drbd0",
        ["OCF_RESKEY_CRM_meta_on_node"] = "astapor",
    };

    private async Task<(int Code, string Out, string Err)> Run(string command, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new HelperContext(name => _env.GetValueOrDefault(name), stdout, stderr, () => _cluster);
        var code = await HelperCommands.RunAsync(command, args, context);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Ocf_promotion_score_with_a_new_feature_set_calls_crm_attribute_p()
    {
        // ocf_promotion_score -v 100  =>  crm_attribute -p -v 100
        Assert.Equal(0, (await Run("crm_attribute", "-p", "-v", "100")).Code);
        Assert.Equal("100", _cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Reboot));
        Assert.Null(_cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Forever));
        var (code, output, _) = await Run("crm_attribute", "-p", "-G", "-q");
        Assert.Equal((0, "100\n"), (code, output));
        Assert.Equal(0, (await Run("crm_attribute", "-p", "-D")).Code);
        Assert.Null(_cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Reboot));
    }

    [Fact]
    public async Task Promotion_takes_an_explicit_resource_when_attached_or_not_an_option()
    {
        await Run("crm_attribute", "--promotion=web", "-v", "5");
        await Run("crm_attribute", "-p", "db", "--update", "7");
        await Run("crm_attribute", "--promotion", "-v", "9");
        Assert.Equal("5", _cluster.Attribute("astapor", "master-web", AttributeLifetime.Reboot));
        Assert.Equal("7", _cluster.Attribute("astapor", "master-db", AttributeLifetime.Reboot));
        Assert.Equal("9", _cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Reboot));
    }

    [Fact]
    public async Task Promotion_outside_an_agent_needs_a_resource()
    {
        _env.Remove("OCF_RESOURCE_INSTANCE");
        var (code, _, err) = await Run("crm_attribute", "-p", "-v", "1");
        Assert.Equal(64, code);
        Assert.Contains("-p/--promotion must be called from an OCF resource agent", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drbd_crm_master_calls()
    {
        // get_current_master_score: crm_master -q -l reboot -G (nothing yet: exit 105, stderr only)
        var missing = await Run("crm_master", "-q", "-l", "reboot", "-G");
        Assert.Equal((105, ""), (missing.Code, missing.Out));
        // set_master_score: crm_master -Q -l reboot -v 10000
        Assert.Equal(0, (await Run("crm_master", "-Q", "-l", "reboot", "-v", "10000")).Code);
        Assert.Equal("10000", _cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Reboot));
        Assert.Equal("10000\n", (await Run("crm_master", "-q", "-l", "reboot", "-G")).Out);
        // Without -l the wrapper's own default is forever.
        await Run("crm_master", "-v", "3");
        Assert.Equal("3", _cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Forever));
        // remove_master_score: crm_master -l reboot -D
        Assert.Equal(0, (await Run("crm_master", "-l", "reboot", "-D")).Code);
        Assert.Null(_cluster.Attribute("astapor", "master-drbd0", AttributeLifetime.Reboot));
        // -r names another resource; -N another node.
        await Run("crm_master", "-r", "other", "-N", "braavos", "-l", "reboot", "-v", "1");
        Assert.Equal("1", _cluster.Attribute("braavos", "master-other", AttributeLifetime.Reboot));
    }

    [Fact]
    public async Task Crm_master_without_a_resource_fails_like_the_wrapper()
    {
        _env.Remove("OCF_RESOURCE_INSTANCE");
        Assert.Equal(1, (await Run("crm_master", "-l", "reboot", "-v", "1")).Code);
    }

    [Fact]
    public async Task Node_attributes_with_long_and_attached_forms()
    {
        // galera: crm_attribute -N $node -l reboot --name "x-last-committed" -v $1 ... --quiet
        await Run("crm_attribute", "-N", "braavos", "-l", "reboot", "--name", "galera-last-committed", "-v", "1234");
        Assert.Equal("1234\n", (await Run("crm_attribute", "-N", "braavos", "-l", "reboot", "--name", "galera-last-committed", "--quiet")).Out);
        // rabbitmq: crm_attribute --lifetime=reboot --name=x --node=y ; bundled and attached short forms
        await Run("crm_attribute", "--lifetime=forever", "--name=rmq-cookie", "--node=astapor", "--update=secret");
        Assert.Equal("secret", _cluster.Attribute("astapor", "rmq-cookie", AttributeLifetime.Forever));
        await Run("crm_attribute", "-Nastapor", "-lreboot", "-nattached", "-v", "-INFINITY");
        Assert.Equal("-INFINITY", _cluster.Attribute("astapor", "attached", AttributeLifetime.Reboot));
        // A query prints Pacemaker's line; -G -q prints the value only.
        var (code, output, _) = await Run("crm_attribute", "-N", "astapor", "-l", "forever", "-n", "rmq-cookie", "-G");
        Assert.Equal((0, "scope=nodes  name=rmq-cookie value=secret\n"), (code, output));
        Assert.Equal("secret\n", (await Run("crm_attribute", "-N", "astapor", "-l", "forever", "-n", "rmq-cookie", "-qG")).Out);
    }

    [Fact]
    public async Task A_node_but_no_lifetime_means_forever_and_neither_means_a_cluster_property()
    {
        await Run("crm_attribute", "-N", "braavos", "-n", "site", "-v", "east");
        Assert.Equal("east", _cluster.Attribute("braavos", "site", AttributeLifetime.Forever));
        // SAPInstance: crm_attribute -n runs_ers_X -v 1 -l reboot (no node: this node)
        await Run("crm_attribute", "-n", "runs_ers_HA1", "-v", "1", "-l", "reboot");
        Assert.Equal("1", _cluster.Attribute("astapor", "runs_ers_HA1", AttributeLifetime.Reboot));
        // sg_persist: --type=crm_config --name=stonith-enabled --query --quiet --default=true
        Assert.Equal("true\n", (await Run("crm_attribute", "--type=crm_config", "--name=stonith-enabled", "--query", "--quiet", "--default=true")).Out);
        await Run("crm_attribute", "-n", "no-quorum-policy", "-v", "freeze");
        Assert.Equal("scope=crm_config  name=no-quorum-policy value=freeze\n",
            (await Run("crm_attribute", "--type=crm_config", "--name=no-quorum-policy", "--query")).Out);
    }

    [Fact]
    public async Task Defaults_errors_and_usage()
    {
        Assert.Equal("scope=status  name=absent value=0\n", (await Run("crm_attribute", "-l", "reboot", "-n", "absent", "-G", "-d", "0")).Out);
        var missing = await Run("crm_attribute", "-l", "reboot", "-n", "absent", "-G");
        Assert.Equal(105, missing.Code);
        Assert.Equal("crm_attribute: Error performing operation: No such device or address\n", missing.Err);
        Assert.Equal(64, (await Run("crm_attribute", "-l", "reboot", "-D")).Code);
        Assert.Equal(64, (await Run("crm_attribute", "-l", "sometimes", "-n", "x", "-G")).Code);
        Assert.Equal(64, (await Run("crm_attribute", "--bogus")).Code);
        Assert.Equal(105, (await Run("crm_attribute", "-N", "nosuchnode", "-n", "x", "-v", "1")).Code);
        Assert.Equal(3, (await Run("crm_attribute", "-t", "nodes", "-N", "astapor", "-z", "-n", "cpu", "-v", "4")).Code);
    }

    [Fact]
    public async Task Patterns_query_and_delete_transient_attributes()
    {
        await Run("crm_attribute", "-l", "reboot", "-n", "pgsql-status", "-v", "PRI");
        await Run("crm_attribute", "-l", "reboot", "-n", "pgsql-xlog", "-v", "7");
        await Run("crm_attribute", "-l", "reboot", "-n", "other", "-v", "x");
        Assert.Equal("scope=status  name=pgsql-status value=PRI\nscope=status  name=pgsql-xlog value=7\n",
            (await Run("crm_attribute", "-l", "reboot", "-P", "^pgsql-", "-G")).Out);
        await Run("crm_attribute", "-l", "reboot", "-P", "^pgsql-", "-D");
        Assert.Null(_cluster.Attribute("astapor", "pgsql-xlog", AttributeLifetime.Reboot));
        Assert.Equal("x", _cluster.Attribute("astapor", "other", AttributeLifetime.Reboot));
    }

    [Fact]
    public async Task Crm_node_answers_from_the_environment_then_the_cluster()
    {
        Assert.Equal("astapor\n", (await Run("crm_node", "-n")).Out);
        _env.Remove("OCF_RESKEY_CRM_meta_on_node");
        _cluster.Local = new NodeIdentity("node10", 10);
        _cluster.Nodes.Add(new("node10", 10, true));
        _cluster.Nodes.Add(new("node2", 3, false));
        Assert.Equal("node10\n", (await Run("crm_node", "--name")).Out);
        Assert.Equal("10\n", (await Run("crm_node", "-i")).Out);
        Assert.Equal("1 astapor member\n2 braavos member\n3 node2 lost\n10 node10 member\n", (await Run("crm_node", "-l")).Out);
        Assert.Equal("astapor braavos node10 \n", (await Run("crm_node", "-p")).Out);
        Assert.Equal("braavos\n", (await Run("crm_node", "-N", "2")).Out);
        Assert.Equal((0, "1\n"), ((await Run("crm_node", "-q")).Code, (await Run("crm_node", "-q")).Out));
        _cluster.Quorate = false;
        Assert.Equal(106, (await Run("crm_node", "-q")).Code);
    }

    [Fact]
    public async Task Crm_resource_locate_prints_what_drbd_parses()
    {
        _cluster.Resources.Add(new ResourceLocations("drbd0", "ocf:linbit:drbd", [new("astapor", "Unpromoted"), new("braavos", "Promoted")]));
        _cluster.Resources.Add(new ResourceLocations("vip", "ocf:heartbeat:IPaddr2", []));
        var (code, output, _) = await Run("crm_resource", "--resource", "drbd0", "--locate");
        Assert.Equal(0, code);
        Assert.Equal("resource drbd0 is running on: astapor\nresource drbd0 is running on: braavos Promoted\n", output);
        Assert.Equal("astapor\nbraavos\n", (await Run("crm_resource", "-W", "-Q", "-r", "drbd0")).Out);
        var stopped = await Run("crm_resource", "-r", "vip", "-W");
        Assert.Equal((0, "", "resource vip is NOT running\n"), stopped);
        Assert.Equal(105, (await Run("crm_resource", "-r", "ghost", "-W")).Code);
        Assert.Equal(3, (await Run("crm_resource", "--cleanup", "-r", "vip")).Code);
    }

    [Fact]
    public async Task Crm_mon_one_shot_lists_nodes_and_resources()
    {
        _cluster.Nodes[1] = new ClusterNode("braavos", 2, false);
        _cluster.Resources.Add(new ResourceLocations("vip", "ocf:heartbeat:IPaddr2", [new("astapor", "Started")]));
        var output = (await Run("crm_mon", "-1")).Out;
        Assert.Contains("  * Online: [ astapor ]\n", output, StringComparison.Ordinal);
        Assert.Contains("  * OFFLINE: [ braavos ]\n", output, StringComparison.Ordinal);
        Assert.Contains("  * vip\t(ocf:heartbeat:IPaddr2):\t Started astapor\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attrd_updater_as_ping_uses_it()
    {
        // ocf:pacemaker:ping: attrd_updater -n pingd -U 1000 -d 5s
        Assert.Equal(0, (await Run("attrd_updater", "-n", "pingd", "-U", "1000", "-d", "5s")).Code);
        Assert.Equal("1000", _cluster.Attribute("astapor", "pingd", AttributeLifetime.Reboot));
        Assert.Equal("name=\"pingd\" host=\"astapor\" value=\"1000\"\n", (await Run("attrd_updater", "-n", "pingd", "-Q")).Out);
        await Run("attrd_updater", "-n", "pingd", "-U", "0", "-N", "braavos");
        Assert.Equal("name=\"pingd\" host=\"astapor\" value=\"1000\"\nname=\"pingd\" host=\"braavos\" value=\"0\"\n",
            (await Run("attrd_updater", "-n", "pingd", "-Q", "-A")).Out);
        await Run("attrd_updater", "-n", "pingd", "-D");
        Assert.Equal(105, (await Run("attrd_updater", "-n", "pingd", "-Q")).Code);
    }
}
