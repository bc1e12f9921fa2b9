using Tandem.Model.Cib;
using Tandem.Model.Diagnostics;
using Tandem.Model.Json;
using Tandem.Model.Text;

namespace Tandem.Model.Tests;

public sealed class ConfigFacesTests
{
    private static readonly ClusterConfiguration Seed = TextParser.Parse(Tests.Seed.SeedConfiguration.Text);

    [Theory]
    [InlineData(ConfigFormat.Text)]
    [InlineData(ConfigFormat.Json)]
    [InlineData(ConfigFormat.Cib)]
    public void Each_face_is_recognised_and_read_back(ConfigFormat format)
    {
        var written = ConfigFaces.Write(Seed, format, new ConfigVersion(0, 3, 0));
        Assert.Equal(format, ConfigFaces.Detect(written));
        var read = ConfigFaces.Read(written);
        Assert.Equal(format, read.Format);
        Assert.Equal(Seed, read.Configuration);
        Assert.Equal(format == ConfigFormat.Text ? default : new ConfigVersion(0, 3, 0), read.Version);
    }

    [Fact]
    public void Reading_a_CIB_keeps_its_diagnostics()
    {
        var read = ConfigFaces.Read(File.ReadAllText(Corpus.PathOf("order-wrong-kind")));
        Assert.Single(read.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("<cib><configuration>", typeof(CibFormatException))]
    [InlineData("{\"format\": \"tandem-config\", ", typeof(ConfigJsonException))]
    [InlineData("primitive", typeof(TextParseException))]
    public void Unreadable_content_is_a_format_error_of_its_face(string content, Type expected) =>
        Assert.IsType(expected, Assert.ThrowsAny<FormatException>(() => ConfigFaces.Read(content)));

    [Theory]
    [InlineData("text", ConfigFormat.Text)]
    [InlineData("CRM", ConfigFormat.Text)]
    [InlineData("json", ConfigFormat.Json)]
    [InlineData("xml", ConfigFormat.Cib)]
    [InlineData("cib", ConfigFormat.Cib)]
    public void Format_names(string name, ConfigFormat expected)
    {
        Assert.True(ConfigFaces.TryParseFormat(name, out var format));
        Assert.Equal(expected, format);
        Assert.False(ConfigFaces.TryParseFormat("yaml", out _));
    }

    [Fact]
    public void Summaries_count_by_severity() =>
        Assert.Equal("1 error, 2 warnings, 1 note", DiagnosticReport.Summary(
        [
            new Diagnostic(DiagnosticSeverity.Warning, "a", "w1"), new Diagnostic(DiagnosticSeverity.Error, "b", "e"),
            new Diagnostic(DiagnosticSeverity.Info, "c", "i"), new Diagnostic(DiagnosticSeverity.Warning, "d", "w2"),
        ]));
}
