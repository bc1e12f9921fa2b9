namespace Tandem.Agents.Tests;

public class AgentNameTests
{
    [Theory]
    [InlineData("ocf:heartbeat:IPaddr2", AgentClass.Ocf, "heartbeat", "IPaddr2")]
    [InlineData("lsb:postgresql", AgentClass.Lsb, null, "postgresql")]
    [InlineData("service:cron", AgentClass.Lsb, null, "cron")]
    [InlineData("systemd:nginx", AgentClass.Systemd, null, "nginx")]
    [InlineData("stonith:fence_dummy", AgentClass.Stonith, null, "fence_dummy")]
    public void Parses_each_class(string text, AgentClass agentClass, string? provider, string type)
    {
        var name = AgentName.Parse(text);
        Assert.Equal(new AgentName(agentClass, provider, type), name);
    }

    [Theory]
    [InlineData("IPaddr2", "not of the form")]
    [InlineData("ocf:IPaddr2", "needs a provider")]
    [InlineData("lsb:x:y", "takes no provider")]
    [InlineData("upstart:foo", "unknown class 'upstart'")]
    [InlineData("ocf:heartbeat:../../../bin/sh", "not a valid agent name")]
    [InlineData("ocf::Dummy", "not of the form")]
    public void Bad_names_give_a_one_line_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => AgentName.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Prints_as_parsed()
    {
        Assert.Equal("ocf:heartbeat:Dummy", AgentName.Parse("ocf:heartbeat:Dummy").ToString());
        Assert.Equal("lsb:cron", AgentName.Parse("service:cron").ToString());
    }
}
