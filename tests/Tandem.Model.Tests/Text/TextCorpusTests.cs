using Tandem.Model.Cib;
using Tandem.Model.Text;

namespace Tandem.Model.Tests.Text;

/// <summary>The text face over Pacemaker's corpus: every configuration prints, and what it prints reads back to itself.</summary>
public sealed class TextCorpusTests
{
    [Fact]
    public void Every_corpus_configuration_prints_and_reads_back_to_the_same_text()
    {
        foreach (var file in Corpus.AllFiles)
        {
            var configuration = CibImport.Parse(File.ReadAllText(file)).Configuration;
            var text = TextPrinter.Print(configuration);
            ClusterConfiguration parsed;
            try
            {
                parsed = TextParser.Parse(text);
            }
            catch (TextParseException e)
            {
                Assert.Fail($"{Path.GetFileName(file)}: {e.Message}\n{text}");
                return;
            }
            var again = TextPrinter.Print(parsed);
            Assert.True(text == again, $"{Path.GetFileName(file)} printed differently after reading:\n{text}\n---\n{again}");
        }
    }
}
