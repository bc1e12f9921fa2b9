using Tandem.Model.Cib;
using Tandem.Model.Constraints;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;
using Xunit.Abstractions;

namespace Tandem.Model.Tests.Cib;

/// <summary>Pacemaker 2.1.5's scheduler regression inputs (754 CIBs) through the importer.</summary>
public sealed class CorpusImportTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyDictionary<string, CibDocument>> Documents = new(() =>
        Corpus.AllFiles.ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => CibImport.Parse(File.ReadAllText(f))));

    private static IReadOnlyDictionary<string, string[]> Features { get; } =
        File.ReadAllLines(Path.Combine(Corpus.Directory, "features.tsv"))
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => f.Length > 1 ? f[1].Split(',') : []);

    [Fact]
    public void Every_corpus_file_imports_with_its_nodes_and_resources()
    {
        Assert.Equal(754, Documents.Value.Count);
        foreach (var (name, document) in Documents.Value)
        {
            var xml = document.Root.Element("configuration")!;
            Assert.True(xml.Element("nodes")!.Elements("node").Count() == document.Configuration.Nodes.Count, name);
            Assert.True(xml.Element("resources")!.Elements().Count() == document.Configuration.Resources.Count + document.Configuration.Templates.Count, name);
            Assert.True(xml.Element("constraints")!.Elements().Count() == document.Configuration.Constraints.Count, name);
        }
        var bySeverity = Documents.Value.Values.SelectMany(d => d.Diagnostics).GroupBy(d => d.Severity);
        output.WriteLine(string.Join(", ", bySeverity.Select(g => $"{g.Key}: {g.Count()}")));
    }

    [Fact]
    public void Core_subset_files_import_without_errors_or_unsupported_features()
    {
        // order-wrong-kind is in the core subset to test the reading of an invalid order kind.
        foreach (var name in Corpus.CoreSubset.Where(n => n != "order-wrong-kind"))
        {
            var serious = Documents.Value[name].Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Unsupported).ToList();
            Assert.True(serious.Count == 0, $"{name}: {string.Join("; ", serious)}");
        }
    }

    [Fact]
    public void Every_ticket_and_bundle_is_reported_by_name_exactly_where_Pacemaker_lists_the_feature()
    {
        foreach (var (name, document) in Documents.Value)
        {
            var tickets = document.Configuration.Constraints.OfType<TicketConstraint>().ToList();
            var bundles = document.Configuration.Resources.OfType<Bundle>().ToList();
            Assert.True(tickets.Count > 0 == Features[name].Contains("ticket"), name);
            Assert.True(bundles.Count > 0 == Features[name].Contains("bundle"), name);
            foreach (var ticket in tickets)
            {
                Assert.Contains(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Unsupported
                    && d.Message.StartsWith($"unsupported element <rsc_ticket id=\"{ticket.Id}\"> in constraints", StringComparison.Ordinal));
            }
            foreach (var bundle in bundles)
            {
                Assert.Contains(document.Diagnostics, d => d.Severity == DiagnosticSeverity.Unsupported
                    && d.Message.StartsWith($"unsupported element <bundle id=\"{bundle.Id}\"> in resources", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void The_wrong_kind_of_order_is_reported_and_read_as_Mandatory()
    {
        var document = Documents.Value["order-wrong-kind"];
        var error = Assert.Single(document.Errors);
        Assert.Equal("line 34: error: attribute 'kind' of <rsc_order id=\"order1\">: invalid value 'foo' (expected Mandatory, Optional or Serialize); read as Mandatory (at constraints/rsc_order[id=order1])", error.ToString());
        Assert.Equal(OrderKind.Mandatory, document.Configuration.Constraints.OfType<OrderConstraint>().Single(o => o.Id == "order1").Kind);
    }

    [Fact]
    public void Remote_node_resources_sharing_a_node_id_are_not_duplicates()
    {
        // A remote node's <node id> is its connection resource's id; they live in different id spaces.
        var document = Documents.Value["remote-recover-all"];
        Assert.DoesNotContain(document.Diagnostics, d => d.Message.Contains("duplicate id", StringComparison.Ordinal));
        Assert.NotNull(document.Configuration.FindNode("messaging-0"));
        Assert.NotNull(document.Configuration.FindResource("messaging-0"));
    }
}
