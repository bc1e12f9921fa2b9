using Tandem.Agents;
using Tandem.Agents.Metadata;
using Tandem.Cli.Commands;
using Tandem.Cli.Configuration;
using Tandem.Model;
using Tandem.Model.Json;

namespace Tandem.Cli.Tests;

/// <summary>`tandem config show|import-cib` and `tandem verify` on files, with their output captured.</summary>
public sealed class ConfigCommandsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tandem-config-tests-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Corpus(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tandem.slnx")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "pacemaker-scheduler-tests", "xml", name + ".xml");
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    private const string Seed = """
        node astapor
        node braavos
        property cib-bootstrap-options: stonith-enabled=false no-quorum-policy=ignore
        rsc_defaults rsc-options: resource-stickiness=100 migration-threshold=1
        primitive VIP1 IPaddr2 params ip=172.17.18.190 cidr_netmask=24 op monitor interval=30s timeout=30s
        primitive drbd ocf:linbit:drbd params drbd_resource=optzimbra \
            op monitor role=Master interval=60s \
            op monitor role=Slave interval=50s
        ms drbd_ms drbd meta master-max=1 master-node-max=1 clone-max=2 clone-node-max=1 notify=true
        colocation vip-with-drbd inf: VIP1 drbd_ms:Master
        order drbd-then-vip inf: drbd_ms:promote VIP1:start
        """;

    private FileConfigSource Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return new FileConfigSource(path);
    }

    [Fact]
    public async Task Verify_explains_the_seeds_risky_settings_and_succeeds()
    {
        var output = new StringWriter();
        var exit = await ConfigCommands.VerifyAsync(Write("seed.crm", Seed), null, json: false, output, CancellationToken.None);
        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("warning: fencing is disabled (stonith-enabled=false): nothing will stop a lost node from still running the service: split brain possible", text, StringComparison.Ordinal);
        Assert.Contains("warning: no-quorum-policy=ignore on a two-node cluster", text, StringComparison.Ordinal);
        Assert.EndsWith("seed.crm: 2 warnings\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_fails_on_errors_and_lists_them_first()
    {
        var output = new StringWriter();
        var exit = await ConfigCommands.VerifyAsync(Write("bad.crm", Seed + "\ncolocation ghost inf: VIP1 nothing\n"), null, json: false, output, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: colocation 'ghost' names resource 'nothing', which does not exist", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_CIBs_import_findings_too()
    {
        var output = new StringWriter();
        var exit = await ConfigCommands.VerifyAsync(new FileConfigSource(Corpus("order-wrong-kind")), null, json: true, output, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.Contains("\"code\": \"invalid-value\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"line\": 34", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Agents from memory: IPaddr2 with a required ip parameter; nothing else is installed.</summary>
    private sealed class OneAgent : IAgentMetadataSource
    {
        public Task<AgentMetadata> GetAsync(AgentName agent, CancellationToken cancellationToken = default) =>
            agent.ToString() == "ocf:heartbeat:IPaddr2"
                ? Task.FromResult(MetadataParser.Parse("""
                    <resource-agent name="IPaddr2"><parameters>
                      <parameter name="ip" required="1"><content type="string"/></parameter>
                      <parameter name="cidr_netmask"><content type="string"/></parameter>
                    </parameters><actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
                      <action name="monitor" timeout="20s" interval="10s"/></actions></resource-agent>
                    """, "ocf:heartbeat:IPaddr2"))
                : throw new MetadataException($"agent {agent} is not installed");
    }

    [Fact]
    public async Task Verify_with_agents_adds_the_agents_findings()
    {
        var output = new StringWriter();
        var exit = await ConfigCommands.VerifyAsync(Write("seed.crm", Seed + "\nprimitive VIP2 IPaddr2 params cidr_netmask=24\n"), new OneAgent(), json: false, output, CancellationToken.None);
        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("error: drbd: agent ocf:linbit:drbd is not installed", text, StringComparison.Ordinal);
        Assert.Contains("VIP2", text.Split('\n').Single(l => l.Contains("'ip'", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("error: VIP1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ConfigFormat.Text)]
    [InlineData(ConfigFormat.Json)]
    [InlineData(ConfigFormat.Cib)]
    public async Task Show_prints_a_face_that_reads_back_to_the_same_configuration(ConfigFormat format)
    {
        var source = Write("seed.crm", Seed);
        var output = new StringWriter();
        Assert.Equal(0, await ConfigCommands.ShowAsync(source, format, output, new StringWriter(), CancellationToken.None));
        var expected = (await source.LoadAsync(CancellationToken.None)).Configuration;
        var shown = ConfigFaces.Read(output.ToString());
        Assert.Equal(format, shown.Format);
        Assert.Equal(expected, shown.Configuration);
    }

    [Fact]
    public async Task Show_of_a_CIB_reports_unsupported_features_on_stderr_not_in_the_output()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        await ConfigCommands.ShowAsync(new FileConfigSource(Corpus("ticket-primitive-1")), ConfigFormat.Text, output, errors, CancellationToken.None);
        Assert.Contains("unsupported element <rsc_ticket id=\"rsc1-dep-ticketA\"> in constraints", errors.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("node node1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_writes_the_configuration_as_JSON_with_the_CIBs_version()
    {
        var destination = new FileInfo(Path.Combine(_directory.FullName, "config.json"));
        var errors = new StringWriter();
        var exit = await ConfigCommands.ImportCibAsync(new FileConfigSource(Corpus("ticket-primitive-1")), destination, force: false, new StringWriter(), errors, CancellationToken.None);
        Assert.Equal(0, exit);
        var document = ConfigJson.Deserialize(File.ReadAllText(destination.FullName));
        Assert.Equal(new ConfigVersion(0, 1, 20), document.Version);
        Assert.Equal(2, document.Configuration.Nodes.Count);
        Assert.Contains("imported 2 nodes, 2 resources, 1 constraint (version 0.1.20)", errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(destination.FullName + ".tmp"));
    }

    [Fact]
    public async Task Import_refuses_a_CIB_with_errors_unless_forced_and_leaves_the_destination_alone()
    {
        var destination = new FileInfo(Path.Combine(_directory.FullName, "config.json"));
        File.WriteAllText(destination.FullName, "previous");
        var e = await Assert.ThrowsAsync<CliException>(() =>
            ConfigCommands.ImportCibAsync(new FileConfigSource(Corpus("order-wrong-kind")), destination, force: false, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.Contains("line 34: error: attribute 'kind' of <rsc_order id=\"order1\">", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing imported", e.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(destination.FullName));
        Assert.Equal(0, await ConfigCommands.ImportCibAsync(new FileConfigSource(Corpus("order-wrong-kind")), destination, force: true, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.StartsWith("{", File.ReadAllText(destination.FullName), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_refuses_what_is_not_a_CIB()
    {
        var e = await Assert.ThrowsAsync<CliException>(() =>
            ConfigCommands.ImportCibAsync(Write("seed.crm", Seed), null, force: false, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.Contains("not a CIB (this is text)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad.crm", "primitive web IPaddr2 op monitor interval=often", "bad.crm: line 1, column 34: primitive web: invalid duration 'often'")]
    [InlineData("bad.xml", "<cib><configuration>\n<nodes>\n</cib>", "bad.xml: line 3: malformed XML")]
    [InlineData("bad.json", "{\"format\": \"tandem-config\", \"formatVersion\": 1, \"configuration\": {\"nodes\": [", "bad.json: line 1, column")]
    public async Task Unreadable_files_are_one_line_errors_naming_the_file_and_the_position(string name, string content, string expected)
    {
        var e = await Assert.ThrowsAsync<CliException>(() => Write(name, content).LoadAsync(CancellationToken.None));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Without_a_file_the_commands_read_the_running_cluster()
    {
        Assert.IsType<LiveConfigSource>(ConfigCommands.SourceFor(null));
        Assert.IsType<FileConfigSource>(ConfigCommands.SourceFor(new FileInfo("x.crm")));
    }

    [Fact]
    public async Task A_missing_file_is_a_one_line_error()
    {
        var e = await Assert.ThrowsAsync<CliException>(() => new FileConfigSource(Path.Combine(_directory.FullName, "none.xml")).LoadAsync(CancellationToken.None));
        Assert.StartsWith("cannot read ", e.Message, StringComparison.Ordinal);
    }
}
