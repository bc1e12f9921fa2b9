using Tandem.Model.Text;
using Tandem.Node.Fencing;

namespace Tandem.Node.Tests.Fencing;

/// <summary>Which device fences which node, from where, with which arguments (Pacemaker's fencer rules).</summary>
public class FencePlannerTests
{
    private static FenceRequest? Plan(string configuration, string target, params string[] executors) =>
        FencePlanner.Plan(TextParser.Parse(configuration), "1:1:0:uuid", target, 2, "reboot", executors, out _);

    [Fact]
    public void Host_map_pairs_accept_both_separators_and_escapes()
    {
        var map = HostMap.Parse(@"astapor:vm-1;braavos=vm-2 qarth:vm\:3");
        Assert.Equal("vm-1", map["ASTAPOR"]);
        Assert.Equal("vm-2", map["braavos"]);
        Assert.Equal("vm:3", map["qarth"]);
    }

    [Fact]
    public void List_output_entries_stop_at_unusual_characters_and_skip_status_words()
    {
        Assert.Equal(["node1", "alias1", "node2", "node3"], HostMap.ParseTargets("node1,alias1\nnode2 on\nParse error: invalid option\nnode3/extra"));
    }

    [Fact]
    public void A_static_list_device_is_used_only_for_the_nodes_it_names_and_gets_the_mapped_port()
    {
        const string config = """
            primitive f1 stonith:fence_virsh params pcmk_host_map="astapor:vm-a;braavos:vm-b" ip=10.0.0.1 login=root pcmk_reboot_timeout=90s
            primitive f2 stonith:fence_ipmilan params pcmk_host_list="qarth" ip=10.0.0.9
            """;
        var request = Plan(config, "braavos", "astapor");
        var device = Assert.Single(Assert.Single(request!.Levels));
        Assert.Equal("f1", device.DeviceId);
        Assert.Equal("vm-b", device.Port);
        Assert.Equal("port", device.HostArgument);
        Assert.Equal(90_000, device.TimeoutMs);
        Assert.DoesNotContain(device.Parameters.Keys, k => k.StartsWith("pcmk_", StringComparison.Ordinal));
        Assert.Equal("10.0.0.1", device.Parameters["ip"]);
        Assert.Null(Plan(config, "essos", "astapor"));
    }

    [Fact]
    public void The_target_never_fences_itself_and_a_banned_executor_is_skipped()
    {
        const string config = """
            primitive f1 stonith:fence_tandemlab params pcmk_host_check=none
            location no-f1-on-astapor f1 -inf: astapor
            """;
        Assert.Null(Plan(config, "braavos", "braavos"));
        Assert.Null(Plan(config, "braavos", "astapor"));
        Assert.Equal("qarth", Plan(config, "braavos", "astapor", "braavos", "qarth")!.Executor);
    }

    [Fact]
    public void Devices_are_tried_by_priority_and_action_remapping_and_host_argument_apply()
    {
        const string config = """
            primitive low stonith:fence_a params pcmk_off_action=poweroff pcmk_host_argument=plug meta priority=1
            primitive high stonith:fence_b params pcmk_host_argument=none meta priority=10
            primitive disabled stonith:fence_c meta target-role=Stopped priority=100
            """;
        var request = FencePlanner.Plan(TextParser.Parse(config), "k", "braavos", 2, "off", ["astapor"], out _)!;
        Assert.Equal(["high", "low"], request.Levels.Select(l => l.Single().DeviceId));
        Assert.Null(request.Levels[0][0].HostArgument);
        Assert.Equal("poweroff", request.Levels[1][0].Action);
        Assert.Equal("plug", request.Levels[1][0].HostArgument);
        Assert.Null(request.Levels[1][0].Check);
    }

    [Fact]
    public void A_fencing_topology_gives_the_levels_in_index_order()
    {
        const string config = """
            primitive ipmi stonith:fence_ipmilan params pcmk_host_list="braavos"
            primitive pdu1 stonith:fence_apc params pcmk_host_list="braavos"
            primitive pdu2 stonith:fence_apc params pcmk_host_list="braavos"
            fencing_level l2 index=2 target=braavos devices=pdu1,pdu2
            fencing_level l1 index=1 target=braavos devices=ipmi
            fencing_level other index=1 target=astapor devices=pdu1
            """;
        var request = Plan(config, "braavos", "astapor")!;
        Assert.Equal(["ipmi"], request.Levels[0].Select(d => d.DeviceId));
        Assert.Equal(["pdu1", "pdu2"], request.Levels[1].Select(d => d.DeviceId));
    }
}
