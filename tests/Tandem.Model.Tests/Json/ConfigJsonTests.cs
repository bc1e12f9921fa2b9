using Tandem.Model.Cib;
using Tandem.Model.Json;

namespace Tandem.Model.Tests.Json;

public sealed class ConfigJsonTests
{
    [Fact]
    public void Every_corpus_configuration_round_trips_through_JSON()
    {
        foreach (var file in Corpus.AllFiles)
        {
            var document = CibImport.Parse(File.ReadAllText(file));
            var json = ConfigJson.Serialize(document.Configuration, document.Header.Version);
            var back = ConfigJson.Deserialize(json);
            Assert.True(document.Configuration == back.Configuration, $"{Path.GetFileName(file)} changed through JSON:\n{json}");
            Assert.Equal(document.Header.Version, back.Version);
        }
    }

    [Fact]
    public void Documents_carry_the_format_and_its_version()
    {
        var json = ConfigJson.Serialize(ClusterConfiguration.Empty, new ConfigVersion(0, 4, 1));
        Assert.Contains("\"format\": \"tandem-config\"", json, StringComparison.Ordinal);
        Assert.Contains("\"formatVersion\": 1", json, StringComparison.Ordinal);
        Assert.Equal(new ConfigVersion(0, 4, 1), ConfigJson.Deserialize(json).Version);
    }

    [Fact]
    public void Scores_durations_roles_and_kinds_are_written_as_people_write_them()
    {
        var document = CibImport.Parse(File.ReadAllText(Corpus.PathOf("bug-lf-2544")));
        var json = ConfigJson.Serialize(document.Configuration);
        Assert.Contains("\"score\": \"INFINITY\"", json, StringComparison.Ordinal);
        Assert.Contains("\"role\": \"promoted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"clone\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_an_error_naming_the_position()
    {
        var json = ConfigJson.Serialize(CibImport.Parse(File.ReadAllText(Corpus.PathOf("promoted-0"))).Configuration);
        var truncated = json[..(json.Length / 2)];
        var e = Assert.Throws<ConfigJsonException>(() => ConfigJson.Deserialize(truncated));
        Assert.Matches(@"^line \d+, column \d+: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.NotNull(e.Line);
    }

    [Theory]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":1,\"configuration\":{\"nodez\":[]}}", "nodez")]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":1,\"configuration\":{\"nodes\":[{\"id\":\"1\"}]}}", "uname")]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":1,\"configuration\":{\"constraints\":[{\"type\":\"location\",\"id\":\"l\",\"score\":\"lots\"}]}}", "invalid score 'lots'")]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":1,\"configuration\":{\"resources\":[{\"kind\":\"primitive\",\"id\":\"p\",\"agent\":null,\"operations\":[{\"id\":\"o\",\"name\":\"monitor\",\"interval\":\"often\"}]}]}}", "invalid duration 'often'")]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":1,\"configuration\":{\"resources\":[{\"kind\":\"widget\",\"id\":\"p\"}]}}", "widget")]
    [InlineData("{\"format\":\"something-else\",\"formatVersion\":1,\"configuration\":{}}", "not a Tandem configuration")]
    [InlineData("{\"format\":\"tandem-config\",\"formatVersion\":99,\"configuration\":{}}", "unsupported format version 99")]
    [InlineData("[]", "line 1, column")]
    [InlineData("", "line 1, column 1")]
    public void Bad_documents_are_one_line_errors_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<ConfigJsonException>(() => ConfigJson.Deserialize(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
