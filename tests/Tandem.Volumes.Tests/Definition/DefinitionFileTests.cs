using Tandem.Volumes.Definition;

namespace Tandem.Volumes.Tests.Definition;

public class DefinitionFileTests
{
    private const string Valid = """
        {
          "name": "optzimbra",
          "size": "1G",
          "protocol": "C",
          "resync-rate": "10M",
          "secret": "a-long-shared-secret-0123",
          "al-extents": 257,
          "replicas": [
            { "node": "astapor", "address": "172.17.18.191:7788", "disk": "/dev/vdb1", "meta-disk": "/dev/vdc1" },
            { "node": "braavos", "address": "172.17.18.192:7788", "disk": "/dev/vdb1" }
          ]
        }
        """;

    [Fact]
    public void Parses_the_seed_volume_with_safe_defaults()
    {
        var d = DefinitionFile.Parse(Valid, "optzimbra.json");
        Assert.Equal("optzimbra", d.Name);
        Assert.Equal(1L << 30, d.SizeBytes);
        Assert.Equal(10L << 20, d.ResyncRateBytesPerSecond);
        Assert.Equal(ReplicationProtocol.C, d.Protocol);
        Assert.Equal(SplitBrainPolicy.Disconnect, d.AfterSb0Pri);
        Assert.Equal(SplitBrainPolicy.Disconnect, d.AfterSb1Pri);
        Assert.Equal(SplitBrainPolicy.Disconnect, d.AfterSb2Pri);
        Assert.Equal(FencingPolicy.DontCare, d.Fencing);
        Assert.Equal("/dev/vdc1", d.Local("astapor").MetaDisk);
        Assert.True(d.Local("braavos").InternalMetadata);
        Assert.Equal(7788, d.Peer("astapor").Port);
        Assert.Equal("172.17.18.192", d.Peer("astapor").Host);
    }

    [Fact]
    public void Format_then_parse_gives_the_same_definition()
    {
        var d = DefinitionFile.Parse(Valid, "x") with { Protocol = ReplicationProtocol.A, AfterSb0Pri = SplitBrainPolicy.DiscardZeroChanges, TimeoutMs = 3000 };
        var again = DefinitionFile.Parse(DefinitionFile.Format(d), "x");
        Assert.Equal(DefinitionFile.Format(d), DefinitionFile.Format(again));
        Assert.Equal(d.Replicas, again.Replicas);
        Assert.Equal(ReplicationProtocol.A, again.Protocol);
        Assert.Equal(3000, again.TimeoutMs);
    }

    [Theory]
    [InlineData("\"protocol\": \"C\"", "\"protocol\": \"B\"", "optzimbra.json: protocol: 'B' is not a protocol")]
    [InlineData("\"size\": \"1G\"", "\"size\": \"1000\"", "optzimbra.json: size: 1000 bytes is not a multiple of 4 KiB")]
    [InlineData("\"size\": \"1G\"", "\"size\": \"big\"", "optzimbra.json: size: 'big' is not a size")]
    [InlineData("\"protocol\": \"C\"", "\"protcol\": \"C\"", "optzimbra.json: protcol: unknown field (did you mean 'protocol'?)")]
    [InlineData("172.17.18.192:7788", "172.17.18.192", "optzimbra.json: replicas[1].address: '172.17.18.192' needs a port")]
    [InlineData("172.17.18.192:7788", "braavos:7788", "optzimbra.json: replicas[1].address: 'braavos' is not an IP address")]
    [InlineData("\"secret\": \"a-long-shared-secret-0123\"", "\"secret\": \"short\"", "optzimbra.json: secret: too short (5 characters)")]
    [InlineData("\"al-extents\": 257", "\"al-extents\": 5000", "optzimbra.json: al-extents: expected a whole number from 7 to")]
    [InlineData("\"al-extents\": 257", "\"after-sb-2pri\": \"discard-secondary\"", "optzimbra.json: after-sb-2pri: 'discard-secondary' is not supported here (supported: disconnect)")]
    [InlineData("\"al-extents\": 257", "\"fencing\": \"resource-only\"", "optzimbra.json: fence-peer: fencing 'resource-only' needs a fence-peer command")]
    [InlineData("\"node\": \"braavos\"", "\"node\": \"astapor\"", "optzimbra.json: replicas[1].node: 'astapor' is already replicas[0]")]
    [InlineData("\"disk\": \"/dev/vdb1\" }", "\"disk\": \"vdb1\" }", "optzimbra.json: replicas[1].disk: 'vdb1' must be an absolute path")]
    [InlineData("\"al-extents\": 257", "\"timeout\": \"1s\", \"ping-interval\": \"2s\"", "optzimbra.json: timeout: 1000ms must be longer than ping-interval (2000ms)")]
    [InlineData("\"name\": \"optzimbra\"", "\"name\": \"opt zimbra\"", "optzimbra.json: name: 'opt zimbra' is not a valid volume name")]
    public void Bad_input_gets_one_line_naming_the_field(string from, string to, string expected)
    {
        var e = Assert.Throws<VolumeDefinitionException>(() => DefinitionFile.Parse(Valid.Replace(from, to), "optzimbra.json"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Broken_json_names_the_line()
    {
        var e = Assert.Throws<VolumeDefinitionException>(() => DefinitionFile.Parse(Valid.Replace("\"size\": \"1G\",", "\"size\": \"1G\" \"x\""), "v.json"));
        Assert.StartsWith("v.json: line 3: not valid JSON", e.Message);
    }

    [Fact]
    public void A_third_replica_is_refused()
    {
        var three = Valid.Replace("\"disk\": \"/dev/vdb1\" }", "\"disk\": \"/dev/vdb1\" }, { \"node\": \"c\", \"address\": \"10.0.0.3:7788\", \"disk\": \"/d\" }");
        var e = Assert.Throws<VolumeDefinitionException>(() => DefinitionFile.Parse(three, "v.json"));
        Assert.Equal("v.json: replicas: exactly 2 replicas are supported (found 3)", e.Message);
    }

    [Fact]
    public void A_node_without_a_replica_is_named()
    {
        var d = DefinitionFile.Parse(Valid, "x");
        var e = Assert.Throws<VolumeDefinitionException>(() => d.Local("qarth"));
        Assert.Equal("optzimbra: node 'qarth' holds no replica (replicas: astapor, braavos)", e.Message);
    }

    [Fact]
    public void Save_writes_a_root_only_file_that_loads_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tandem-def-" + Guid.NewGuid().ToString("N"));
        try
        {
            var d = DefinitionFile.Parse(Valid, "x");
            DefinitionFile.Save(dir, d);
            var path = DefinitionFile.PathOf(dir, "optzimbra");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(DefinitionFile.Format(d), DefinitionFile.Format(DefinitionFile.Load(path)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("100M/s", 100L << 20)]
    [InlineData("2 T", 2L << 40)]
    public void Sizes_read_as_powers_of_1024(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
