using Tandem.Agents.Execution;

namespace Tandem.Agents.Tests.Execution;

public class AgentEnvironmentTests
{
    private static readonly ExecutorOptions Options = new()
    {
        NodeName = "braavos",
        NodeId = "2",
        HelperDirectory = "/opt/helpers",
        BaseEnvironment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["LANG"] = "C" },
    };

    [Fact]
    public void Ocf_agents_get_the_full_environment()
    {
        var request = new OperationRequest("drbd0", AgentName.Parse("ocf:linbit:drbd"), "monitor")
        {
            IntervalMs = 15_000,
            TimeoutMs = 30_000,
            CheckLevel = 10,
            Parameters = new Dictionary<string, string> { ["drbd_resource"] = "r0" },
            Meta = new Dictionary<string, string> { ["clone-max"] = "2", ["promoted-max"] = "1", ["master-max"] = "1", ["notify"] = "true" },
        };
        var env = AgentEnvironment.Build(request, Options);
        Assert.Equal("/usr/lib/ocf", env["OCF_ROOT"]);
        Assert.Equal("1", env["OCF_RA_VERSION_MAJOR"]);
        Assert.Equal("1", env["OCF_RA_VERSION_MINOR"]);
        Assert.Equal("drbd0", env["OCF_RESOURCE_INSTANCE"]);
        Assert.Equal("drbd", env["OCF_RESOURCE_TYPE"]);
        Assert.Equal("linbit", env["OCF_RESOURCE_PROVIDER"]);
        Assert.Equal("r0", env["OCF_RESKEY_drbd_resource"]);
        Assert.Equal("15000", env["OCF_RESKEY_CRM_meta_interval"]);
        Assert.Equal("30000", env["OCF_RESKEY_CRM_meta_timeout"]);
        Assert.Equal("monitor", env["OCF_RESKEY_CRM_meta_name"]);
        Assert.Equal("braavos", env["OCF_RESKEY_CRM_meta_on_node"]);
        Assert.Equal("2", env["OCF_RESKEY_CRM_meta_on_node_uuid"]);
        Assert.Equal("2", env["OCF_RESKEY_CRM_meta_clone_max"]);
        Assert.Equal("1", env["OCF_RESKEY_CRM_meta_promoted_max"]);
        Assert.Equal("1", env["OCF_RESKEY_CRM_meta_master_max"]);
        Assert.Equal("10", env["OCF_CHECK_LEVEL"]);
        Assert.Equal(ExecutorOptions.FeatureSet, env["OCF_RESKEY_crm_feature_set"]);
        Assert.Equal("/opt/helpers:/usr/bin:/bin", env["PATH"]);
        Assert.Equal("/opt/helpers", env["HA_SBIN_DIR"]);
        Assert.Equal("C", env["LANG"]);
    }

    [Fact]
    public void Notifications_carry_new_and_legacy_names_and_blank_empty_lists()
    {
        var request = new OperationRequest("drbd0", AgentName.Parse("ocf:linbit:drbd"), "notify")
        {
            Notify = new NotifyData("pre", "promote")
            {
                Promote = [new("drbd0", "astapor")],
                Unpromoted = [new("drbd0", "astapor"), new("drbd0", "braavos")],
                AllNodes = ["astapor", "braavos"],
            },
        };
        var env = AgentEnvironment.Build(request, Options);
        Assert.Equal("pre", env["OCF_RESKEY_CRM_meta_notify_type"]);
        Assert.Equal("promote", env["OCF_RESKEY_CRM_meta_notify_operation"]);
        Assert.Equal("astapor", env["OCF_RESKEY_CRM_meta_notify_promote_uname"]);
        Assert.Equal("astapor braavos", env["OCF_RESKEY_CRM_meta_notify_unpromoted_uname"]);
        Assert.Equal("astapor braavos", env["OCF_RESKEY_CRM_meta_notify_slave_uname"]);
        Assert.Equal(" ", env["OCF_RESKEY_CRM_meta_notify_master_uname"]);
        Assert.Equal(" ", env["OCF_RESKEY_CRM_meta_notify_stop_resource"]);
        Assert.Equal("astapor braavos", env["OCF_RESKEY_CRM_meta_notify_all_uname"]);
    }

    [Fact]
    public void Non_ocf_agents_get_no_ocf_variables_but_the_helpers()
    {
        var env = AgentEnvironment.Build(new OperationRequest("cron", AgentName.Parse("lsb:cron"), "start")
        {
            Parameters = new Dictionary<string, string> { ["x"] = "y" },
        }, Options);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("OCF_", StringComparison.Ordinal));
        Assert.StartsWith("/opt/helpers:", env["PATH"], StringComparison.Ordinal);
    }

    [Fact]
    public void Fence_parameters_go_to_stdin_without_pacemaker_options()
    {
        var request = new OperationRequest("fence1", AgentName.Parse("stonith:fence_ipmilan"), "off")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = "10.0.0.9", ["pcmk_host_list"] = "astapor", ["username"] = "admin" },
            FenceTarget = "astapor",
        };
        var spec = AgentCommand.Build(request, Options)!;
        Assert.Empty(spec.Arguments);
        Assert.Equal("action=off\nip=10.0.0.9\nusername=admin\nnodename=astapor\n", System.Text.Encoding.UTF8.GetString(spec.StandardInput!.Value.Span));
        Assert.Equal("/usr/sbin/fence_ipmilan", spec.Path);
    }

    [Fact]
    public void Fence_values_cannot_smuggle_in_lines()
    {
        var request = new OperationRequest("fence1", AgentName.Parse("stonith:fence_ipmilan"), "monitor")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = "10.0.0.9\naction=off" },
        };
        Assert.Throws<ArgumentException>(() => AgentCommand.Build(request, Options));
    }

    [Theory]
    [InlineData("lsb:cron", "monitor", "/etc/init.d/cron", "status")]
    [InlineData("lsb:cron", "start", "/etc/init.d/cron", "start")]
    [InlineData("systemd:nginx", "monitor", "/usr/bin/systemctl", "is-active nginx.service")]
    [InlineData("systemd:foo.socket", "start", "/usr/bin/systemctl", "start foo.socket")]
    [InlineData("ocf:heartbeat:Dummy", "migrate_to", "/usr/lib/ocf/resource.d/heartbeat/Dummy", "migrate_to")]
    public void Commands_per_class(string agent, string action, string path, string arguments)
    {
        var spec = AgentCommand.Build(new OperationRequest("r", AgentName.Parse(agent), action), Options)!;
        Assert.Equal(path, spec.Path);
        Assert.Equal(arguments, string.Join(' ', spec.Arguments));
    }
}
