using Tandem.Cli.Commands;
using Tandem.Model;
using Tandem.Model.Tests.Seed;
using Tandem.Model.Text;

namespace Tandem.Cli.Tests;

/// <summary>
/// Issue 3, acceptance 1: the seed's whole configuration (technical note, section 6, typos fixed)
/// entered as `tandem` verbs and loaded as crm-like text gives the same stored configuration.
/// </summary>
public sealed class SeedVerbsTests
{
    /// <summary>Section 6 as crm text (the note's "dbrb_ms" typo fixed in the second order's reference).</summary>
    internal const string SeedText = SeedConfiguration.Text;

    /// <summary>The same, as an administrator types it (pcs's order of arguments; the note's own pcs lines where it has them).</summary>
    private static readonly string[] SeedVerbs =
    [
        "property set stonith-enabled=false",
        "property set no-quorum-policy=ignore",
        "property set migration-threshold=1 resource-stickiness=100",
        "resource create VIP1 IPaddr2 ip=172.17.18.190 broadcast=172.17.18.255 nic=eth0 cidr_netmask=24 iflabel=VIP1 op monitor interval=30s timeout=30s",
        "resource create drbd ocf:linbit:drbd drbd_resource=optzimbra op monitor role=Master interval=60s op monitor role=Slave interval=50s " +
            "op start role=Master interval=60s timeout=240s op start role=Slave interval=0s timeout=240s " +
            "op stop role=Master interval=60s timeout=100s op stop role=Slave interval=0s timeout=100s",
        "resource promotable drbd drbd_ms meta master-max=1 master-node-max=1 clone-max=2 clone-node-max=1 notify=true",
        "resource create zcs_service ocf:btactic:zimbra op monitor interval=2min timeout=40s op start interval=0 timeout=360s op stop interval=0 timeout=360s",
        "resource create zcs_fs ocf:heartbeat:Filesystem device=/dev/drbd0 directory=/opt/zimbra fstype=ext4 op start interval=0 timeout=60s op stop interval=0 timeout=60",
        "resource group add zcsgroup zcs_fs zcs_service",
        "constraint colocation add drbd_ms:Master with VIP1 INFINITY id=VIP1-with-drbd_ms-Master",
        "constraint colocation add zcs_fs with Master drbd_ms id=drbd_ms-Master-with-zcs_fs",
        "constraint colocation add zcs_service with zcs_fs id=zcs_fs-with-zcs_service",
        "constraint order add start VIP1 then promote drbd_ms score=INFINITY id=drbd_ms-promote-on-VIP1",
        "constraint order add promote drbd_ms then start zcs_fs score=INFINITY id=zcs_fs-on-dbrb_ms-promote",
        "constraint order add zcs_fs:start then zcs_service:start score=INFINITY id=zcs_service-on-zcs_fs",
    ];

    /// <summary>Both start from the cluster as it is before section 6: two nodes, nothing configured.</summary>
    private static ClusterConfiguration TwoNodes() => TextParser.Parse("node astapor\nnode braavos");

    [Fact]
    public async Task The_seed_entered_as_verbs_and_loaded_as_text_gives_the_same_stored_configuration()
    {
        var byVerbs = new MemoryConfigTarget(TwoNodes());
        var cli = new Cli(byVerbs);
        foreach (var verb in SeedVerbs)
        {
            await cli.RunAsync(verb);
        }

        var byText = new MemoryConfigTarget(TwoNodes());
        var file = Path.Combine(Path.GetTempPath(), $"tandem-seed-{Environment.ProcessId}.crm");
        File.WriteAllText(file, SeedText);
        try
        {
            await ConfigCommands.LoadAsync(new Configuration.FileConfigSource(file), byText, new StringWriter(), new StringWriter(), CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }

        // Piece by piece first, so that a failure names the part that differs.
        Assert.Equal(byText.Configuration.Properties, byVerbs.Configuration.Properties);
        Assert.Equal(byText.Configuration.Resources.Select(r => r.Id), byVerbs.Configuration.Resources.Select(r => r.Id));
        for (var i = 0; i < byText.Configuration.Resources.Count; i++)
        {
            Assert.Equal(byText.Configuration.Resources[i], byVerbs.Configuration.Resources[i]);
        }
        Assert.Equal(byText.Configuration.Constraints, byVerbs.Configuration.Constraints);
        Assert.Equal(byText.Configuration, byVerbs.Configuration);
        Assert.Equal(TextPrinter.Print(byText.Configuration), TextPrinter.Print(byVerbs.Configuration));
        Assert.Equal(SeedVerbs.Length, byVerbs.Descriptions.Count);
    }

    [Fact]
    public async Task The_seeds_property_lines_warn_that_the_two_resource_options_are_not_properties()
    {
        var cli = new Cli(new MemoryConfigTarget(TwoNodes()));
        var output = await cli.RunAsync("property set migration-threshold=1");
        Assert.Contains("'migration-threshold' is a resource option, not a cluster property: Pacemaker ignores it here", output, StringComparison.Ordinal);
    }
}
