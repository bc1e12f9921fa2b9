using Tandem.Model.Cib;
using Tandem.Scheduler.Explain;
using Tandem.Scheduler.Tests.Conformance;

namespace Tandem.Scheduler.Tests.Explain;

public sealed class ExplainerTests
{
    private static IReadOnlyList<string>? Explain(string test, string rsc)
    {
        var cib = CibImport.Parse(File.ReadAllText(Corpus.XmlPath(test)));
        return Explainer.Explain(ClusterSnapshot.FromCib(cib, DateTimeOffset.UnixEpoch), rsc);
    }

    [Fact]
    public void AFailedResourceIsExplainedByItsFailCountAndThreshold()
    {
        var lines = Explain("simple4", "rsc1")!;
        Assert.Contains(lines, l => l.Contains("action: Stop rsc1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("fail count 1 against migration-threshold 1: reached", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "node1: -INFINITY");
    }

    [Fact]
    public void GroupMembersShowTheirColocationWithThePreviousMember()
    {
        var lines = Explain("group1", "rsc1")!;
        Assert.Contains(lines, l => l.Contains("with child_rsc1 (placed on node1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("node1: 0  <- chosen", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownResourceHasNoExplanation() => Assert.Null(Explain("simple4", "no-such-resource"));
}
