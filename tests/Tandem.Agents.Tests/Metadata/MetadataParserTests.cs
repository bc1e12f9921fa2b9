using Tandem.Agents.Metadata;

namespace Tandem.Agents.Tests.Metadata;

public class MetadataParserTests
{
    [Fact]
    public void Parses_parameters_actions_and_descriptions()
    {
        var metadata = MetadataParser.Parse("""
            <?xml version="1.0"?>
            <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
            <resource-agent name="Demo" version="1.2">
            <version>1.1</version>
            <longdesc lang="de">Deutsch</longdesc>
            <longdesc lang="en">
              Long text,
              two lines.
            </longdesc>
            <shortdesc lang="en">Demo agent</shortdesc>
            <parameters>
              <parameter name="ip" unique="1" required="1"><shortdesc lang="en">Address</shortdesc><content type="string"/></parameter>
              <parameter name="mode" reloadable="1"><content type="select" default="a"><option value="a"/><option value="b"/></content></parameter>
              <parameter name="old" deprecated="true"><content type="boolean" default="false"/></parameter>
            </parameters>
            <actions>
              <action name="start" timeout="2min"/>
              <action name="monitor" timeout="20s" interval="10s" depth="0"/>
              <action name="monitor" role="Promoted" timeout="20s" interval="9s" depth="0"/>
              <action name="meta-data" timeout="5"/>
            </actions>
            </resource-agent>
            """, "ocf:test:Demo");
        Assert.Equal(("Demo", "1.1", "Demo agent", "Long text,\ntwo lines."), (metadata.Name, metadata.Version, metadata.ShortDescription, metadata.LongDescription));
        var ip = metadata.FindParameter("ip")!;
        Assert.True(ip.Required && ip.Unique && !ip.Reloadable);
        Assert.Equal("Address", ip.ShortDescription);
        var mode = metadata.FindParameter("mode")!;
        Assert.Equal(("select", "a", true), (mode.Type, mode.Default, mode.Reloadable));
        Assert.Equal(["a", "b"], mode.Choices);
        Assert.True(metadata.FindParameter("old")!.Deprecated);
        Assert.Equal(120_000, metadata.FindAction("start")!.TimeoutMs);
        Assert.Equal(9_000, metadata.FindAction("monitor", "Promoted")!.IntervalMs);
        Assert.Equal(10_000, metadata.FindAction("monitor")!.IntervalMs);
        Assert.Equal(5_000, metadata.FindAction("meta-data")!.TimeoutMs);
    }

    [Theory]
    [InlineData("<resource-agent", "is not valid XML: line 1")]
    [InlineData("<agent name=\"x\"/>", "line 1: root element is <agent>, expected <resource-agent>")]
    [InlineData("<resource-agent name=\"x\"><parameters>\n<parameter/></parameters></resource-agent>", "line 2: <parameter> without a name")]
    [InlineData("<resource-agent name=\"x\"><actions>\n\n<action name=\"start\" timeout=\"soon\"/></actions></resource-agent>", "line 3: <action name=\"start\">: timeout: invalid duration 'soon'")]
    public void Bad_metadata_gives_one_line_with_the_line_number(string xml, string expected)
    {
        var error = Assert.Throws<MetadataException>(() => MetadataParser.Parse(xml, "ocf:test:bad"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("meta-data of ocf:test:bad", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Every_installed_heartbeat_and_pacemaker_agent_has_parseable_metadata()
    {
        // Debian's agents are the reference: all of them must parse (a few need tools that are not installed
        // to print meta-data, and say so with a non-zero exit; those are skipped).
        await using var executor = Support.TestAgents.Real(Support.TestAgents.Options());
        var provider = new MetadataProvider(executor);
        var catalog = new AgentCatalog(executor.Options);
        var parsed = 0;
        foreach (var agent in catalog.List(AgentClass.Ocf).Take(200))
        {
            try
            {
                var metadata = await provider.GetAsync(AgentName.Parse("ocf:" + agent));
                Assert.NotEmpty(metadata.Actions);
                parsed++;
            }
            catch (MetadataException e) when (e.Message.Contains("failed", StringComparison.Ordinal))
            {
            }
        }
        Assert.True(parsed > 100, $"only {parsed} agents parsed");
    }
}
