using Tandem.Model.Cib;

namespace Tandem.Model.Tests.Cib;

/// <summary>import → export → import gives the same model (compared as records, not as XML text).</summary>
public sealed class CibRoundTripTests
{
    private static void AssertRoundTrip(string file)
    {
        var first = CibImport.Parse(File.ReadAllText(file));
        var exported = CibExport.ToText(first.Configuration, first.Header, first.Status);
        var second = CibImport.Parse(exported);
        Assert.True(first.Configuration == second.Configuration, $"{Path.GetFileName(file)} changed through export:\n{exported}");
        Assert.Equal(first.Header, second.Header);
    }

    [Fact]
    public void Core_subset_round_trips()
    {
        var core = Corpus.CoreSubset;
        Assert.NotEmpty(core);
        foreach (var name in core)
        {
            AssertRoundTrip(Corpus.PathOf(name));
        }
    }

    [Fact]
    public void Every_corpus_file_round_trips_what_the_model_keeps()
    {
        foreach (var file in Corpus.AllFiles)
        {
            AssertRoundTrip(file);
        }
    }

    [Fact]
    public void Export_of_a_read_master_element_is_a_promotable_clone_without_new_diagnostics()
    {
        var first = CibImport.Parse("""
            <cib><configuration><crm_config/><nodes/><resources>
              <master id="ms"><primitive id="s" class="ocf" provider="pacemaker" type="Stateful"/></master>
            </resources><constraints/></configuration></cib>
            """);
        var xml = CibExport.ToXml(first.Configuration);
        var clone = xml.Element("configuration")!.Element("resources")!.Element("clone")!;
        Assert.Equal("ms", (string?)clone.Attribute("id"));
        var second = CibImport.FromXml(xml);
        Assert.Empty(second.Diagnostics);
        Assert.Equal(first.Configuration, second.Configuration);
    }
}
