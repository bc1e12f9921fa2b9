using Tandem.Cli.Commands;
using Tandem.Cli.Configuration;
using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;

namespace Tandem.Cli.Tests;

/// <summary>
/// Issue 3, acceptance 4 and 5: bad input (syntax errors, unknown ids, bad scores or durations, duplicate
/// ids, a truncated JSON store file) is a one-line error naming the line or field, and the stored
/// configuration is unchanged; `tandem verify` explains the seed's two risky settings in plain words.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tandem-bad-input-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static MemoryConfigTarget Seeded() => new(TextParser.Parse(SeedVerbsTests.SeedText));

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData("constraint colocation add zcs_fs with ghost", "unknown resource 'ghost' (configured: VIP1, drbd_ms, drbd, zcsgroup, zcs_fs, zcs_service)")]
    [InlineData("constraint order remove nosuch", "unknown order constraint 'nosuch' (configured: drbd_ms-promote-on-VIP1, ")]
    [InlineData("constraint colocation remove zcs_service-on-zcs_fs", "'zcs_service-on-zcs_fs' is a order constraint, not a colocation constraint")]
    [InlineData("resource delete ghost", "unknown resource 'ghost'")]
    [InlineData("constraint location add VIP1 prefers astapor=lots", "invalid score 'lots'")]
    [InlineData("constraint colocation add zcs_fs with VIP1 score=+-5", "invalid score '+-5'")]
    [InlineData("resource create web IPaddr2 ip=10.0.0.1 op monitor interval=often", "primitive web: invalid duration 'often'")]
    [InlineData("resource update VIP1 op monitor timeout=-3s", "invalid duration '-3s'")]
    [InlineData("resource create VIP1 IPaddr2 ip=10.0.0.1", "resource 'VIP1' already exists (a primitive)")]
    [InlineData("constraint order add VIP1 then zcs_fs id=zcs_fs-on-dbrb_ms-promote", "id 'zcs_fs-on-dbrb_ms-promote' is already used")]
    [InlineData("resource group add zcsgroup VIP1 VIP1", "a resource is named twice for group 'zcsgroup'")]
    [InlineData("resource group add zcsgroup drbd", "'drbd' is inside clone 'drbd_ms': a cloned primitive cannot be put in a group")]
    [InlineData("resource create web nosuchclass:x:y:z", "unknown resource agent class 'nosuchclass' in 'nosuchclass:x:y:z' (expected heartbeat, lsb, nagios, ocf, ")]
    [InlineData("property set no-quorum-policy=sometimes", "property no-quorum-policy: 'sometimes' is not valid (expected stop, freeze, ignore, demote or suicide)")]
    [InlineData("property set stonith-timeout=forever", "property stonith-timeout: 'forever' is not valid (expected a duration")]
    [InlineData("property unset no-such-property", "property 'no-such-property' is not set")]
    [InlineData("resource create web IPaddr2 ip", "expected name=value in the parameters, found 'ip'")]
    public async Task A_bad_command_is_one_line_naming_the_problem_and_nothing_is_stored(string commandLine, string expected)
    {
        var target = Seeded();
        var before = target.Configuration;
        var e = await Assert.ThrowsAsync<CliException>(() => new Cli(target).RunAsync(commandLine));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Same(before, target.Configuration);
        Assert.Equal(0, target.Replaces);
    }

    [Theory]
    [InlineData("primitive web IPaddr2 op monitor interval=often", "line 1, column 34: primitive web: invalid duration 'often'")]
    [InlineData("node a\nprimitive web IPaddr2\nprimitive web IPaddr2", "line 3, column 1: resource 'web' is defined twice")]
    [InlineData("primitive web IPaddr2\nlocation l web 12abc: astapor", "line 2, column 16: location l: invalid score '12abc'")]
    [InlineData("primitive web IPaddr2 params ip=\"10.0.0.1", "line 1, column 30: unterminated quoted string (at 'ip=\"10.0.0.1')")]
    [InlineData("group g ghost", "group 'g' contains 'ghost', which is not defined")]
    [InlineData("{\"format\": \"tandem-config\", \"formatVersion\": 1, \"configuration\": {\"nodes\": [", "line 1, column")]
    public async Task A_bad_file_is_one_line_naming_its_line_and_the_stored_configuration_is_unchanged(string content, string expected)
    {
        var target = Seeded();
        var before = target.Configuration;
        var path = Write("bad.conf", content);
        var e = await Assert.ThrowsAsync<CliException>(() => ConfigCommands.LoadAsync(new FileConfigSource(path), target, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Same(before, target.Configuration);
    }

    [Fact]
    public async Task A_file_that_reads_but_adds_errors_is_refused_whole()
    {
        var target = Seeded();
        var before = target.Configuration;
        var path = Write("dangling.crm", SeedVerbsTests.SeedText + "\norder late inf: zcsgroup ghost\n");
        var e = await Assert.ThrowsAsync<CliException>(() => ConfigCommands.LoadAsync(new FileConfigSource(path), target, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.Contains("'ghost'", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing changed", e.Message, StringComparison.Ordinal);
        Assert.Same(before, target.Configuration);
    }

    [Fact]
    public void A_truncated_store_file_is_one_line_naming_the_position_and_is_kept_aside_not_lost()
    {
        var storage = new FileConfigStorage(Path.Combine(_directory.FullName, "config.json"));
        storage.Save(new ConfigDocument(ConfigJson.FormatName, ConfigJson.FormatVersion, TextParser.Parse(SeedVerbsTests.SeedText)));
        var whole = File.ReadAllText(storage.Path);
        File.WriteAllText(storage.Path, whole[..(whole.Length / 2)]);

        var e = Assert.Throws<ConfigJsonException>(() => storage.Load());
        Assert.Matches(@"line \d+, column \d+", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var aside = storage.Quarantine(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(whole[..(whole.Length / 2)], File.ReadAllText(aside));
        Assert.Null(storage.Load());
    }

    [Fact]
    public async Task Verify_on_the_seed_explains_its_two_risky_settings_in_plain_words()
    {
        var output = new StringWriter();
        var exit = await ConfigCommands.VerifyAsync(new FileConfigSource(Write("seed.crm", SeedVerbsTests.SeedText)), null, json: false, output, CancellationToken.None);
        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("fencing is disabled (stonith-enabled=false): nothing will stop a lost node from still running the service: split brain possible", text, StringComparison.Ordinal);
        Assert.Contains("no-quorum-policy=ignore on a two-node cluster: when the link between the two nodes breaks, each node carries on alone", text, StringComparison.Ordinal);
        // The seed's two "pcs property set ... --force" lines set resource options as properties: verify says so too.
        Assert.Contains("'migration-threshold' is not a cluster property: Pacemaker ignores it here", text, StringComparison.Ordinal);
        Assert.Contains("'resource-stickiness' is not a cluster property", text, StringComparison.Ordinal);
    }
}
