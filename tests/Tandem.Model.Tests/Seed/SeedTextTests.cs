using Tandem.Model.Attributes;
using Tandem.Model.Cib;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Durations;
using Tandem.Model.Json;
using Tandem.Model.Resources;
using Tandem.Model.Scores;
using Tandem.Model.Text;

namespace Tandem.Model.Tests.Seed;

public sealed class SeedTextTests
{
    private static AttributeSet Set(string id, params (string Name, string Value)[] pairs) =>
        new(id, pairs.Select(p => new NvPair($"{id}-{p.Name}", p.Name, p.Value)).ToValueList());

    private static Operation Op(string resource, string name, string interval, string? timeout = null, Role? role = null, string? id = null) =>
        new(id ?? $"{resource}-{name}-{Duration.Parse(interval)}", name, Duration.Parse(interval))
        {
            Timeout = timeout is null ? null : Duration.Parse(timeout),
            Role = role,
        };

    /// <summary>The seed's configuration, written out as the model it must give.</summary>
    private static ClusterConfiguration Expected()
    {
        var drbd = new Primitive("drbd", new ResourceAgent("ocf", "linbit", "drbd"))
        {
            Params = [Set("drbd-instance_attributes", ("drbd_resource", "optzimbra"))],
            Operations =
            [
                Op("drbd", "monitor", "60s", role: Role.Promoted),
                Op("drbd", "monitor", "50s", role: Role.Unpromoted),
                Op("drbd", "start", "60s", "240s", Role.Promoted),
                Op("drbd", "start", "0", "240s", Role.Unpromoted),
                Op("drbd", "stop", "60s", "100s", Role.Promoted),
                Op("drbd", "stop", "0", "100s", Role.Unpromoted),
            ],
        };
        return new ClusterConfiguration
        {
            Nodes = [new Node("astapor", "astapor"), new Node("braavos", "braavos")],
            Properties =
            [
                Set("cib-bootstrap-options", ("stonith-enabled", "false"), ("no-quorum-policy", "ignore"),
                    ("migration-threshold", "1"), ("resource-stickiness", "100")),
            ],
            Resources =
            [
                new Primitive("VIP1", new ResourceAgent("ocf", "heartbeat", "IPaddr2"))
                {
                    Params = [Set("VIP1-instance_attributes", ("ip", "172.17.18.190"), ("broadcast", "172.17.18.255"), ("nic", "eth0"),
                        ("cidr_netmask", "24"), ("iflabel", "VIP1"))],
                    Operations = [Op("VIP1", "monitor", "30s", "30s")],
                },
                new Clone("drbd_ms", drbd)
                {
                    Meta = [Set("drbd_ms-meta_attributes", ("promotable", "true"), ("master-max", "1"), ("master-node-max", "1"),
                        ("clone-max", "2"), ("clone-node-max", "1"), ("notify", "true"))],
                },
                new Group("zcsgroup",
                [
                    new Primitive("zcs_fs", new ResourceAgent("ocf", "heartbeat", "Filesystem"))
                    {
                        Params = [Set("zcs_fs-instance_attributes", ("device", "/dev/drbd0"), ("directory", "/opt/zimbra"), ("fstype", "ext4"))],
                        Operations = [Op("zcs_fs", "start", "0", "60s"), Op("zcs_fs", "stop", "0", "60s")],
                    },
                    new Primitive("zcs_service", new ResourceAgent("ocf", "btactic", "zimbra"))
                    {
                        Operations = [Op("zcs_service", "monitor", "2min", "40s"), Op("zcs_service", "start", "0", "360s"), Op("zcs_service", "stop", "0", "360s")],
                    },
                ]),
            ],
            Constraints =
            [
                new ColocationConstraint("VIP1-with-drbd_ms-Master") { Score = Score.Infinity, Resource = "drbd_ms", ResourceRole = Role.Promoted, WithResource = "VIP1" },
                new ColocationConstraint("drbd_ms-Master-with-zcs_fs") { Score = Score.Infinity, Resource = "zcs_fs", WithResource = "drbd_ms", WithResourceRole = Role.Promoted },
                new ColocationConstraint("zcs_fs-with-zcs_service") { Score = Score.Infinity, Resource = "zcs_service", WithResource = "zcs_fs" },
                new OrderConstraint("drbd_ms-promote-on-VIP1") { Score = Score.Infinity, First = "VIP1", FirstAction = ResourceAction.Start, Then = "drbd_ms", ThenAction = ResourceAction.Promote },
                new OrderConstraint("zcs_fs-on-dbrb_ms-promote") { Score = Score.Infinity, First = "drbd_ms", FirstAction = ResourceAction.Promote, Then = "zcs_fs", ThenAction = ResourceAction.Start },
                new OrderConstraint("zcs_service-on-zcs_fs") { Score = Score.Infinity, First = "zcs_fs", FirstAction = ResourceAction.Start, Then = "zcs_service", ThenAction = ResourceAction.Start },
            ],
        };
    }

    [Fact]
    public void The_seed_text_gives_the_expected_model()
    {
        var parsed = TextParser.Parse(SeedConfiguration.Text);
        var expected = Expected();
        // Compared piece by piece first, so that a failure names the part that differs.
        Assert.Equal(expected.Properties, parsed.Properties);
        Assert.Equal(expected.Nodes, parsed.Nodes);
        Assert.Equal(expected.Resources.Select(r => r.Id), parsed.Resources.Select(r => r.Id));
        for (var i = 0; i < expected.Resources.Count; i++)
        {
            Assert.Equal(expected.Resources[i], parsed.Resources[i]);
        }
        Assert.Equal(expected.Constraints, parsed.Constraints);
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void The_seed_reads_as_a_promotable_drbd_clone_with_one_promoted_instance()
    {
        var config = TextParser.Parse(SeedConfiguration.Text);
        var ms = Assert.IsType<Clone>(config.FindResource("drbd_ms"));
        Assert.True(ms.IsPromotable);
        Assert.Equal((1, 1, 2, 1, true), (ms.UnconditionalMeta.PromotedMax, ms.UnconditionalMeta.PromotedNodeMax,
            ms.UnconditionalMeta.CloneMax, ms.UnconditionalMeta.CloneNodeMax, ms.UnconditionalMeta.Notify));
        Assert.False(config.Options.StonithEnabled);
        Assert.Equal(NoQuorumPolicy.Ignore, config.Options.NoQuorumPolicy);
    }

    [Fact]
    public void The_seed_survives_every_face()
    {
        var config = TextParser.Parse(SeedConfiguration.Text);
        Assert.Equal(config, TextParser.Parse(TextPrinter.Print(config)));
        Assert.Equal(config, CibImport.Parse(CibExport.ToText(config)).Configuration);
        Assert.Equal(config, ConfigJson.Deserialize(ConfigJson.Serialize(config)).Configuration);
    }
}
