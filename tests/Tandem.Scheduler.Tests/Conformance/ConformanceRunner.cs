using Tandem.Model.Cib;
using Tandem.Scheduler.Output;

namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>
/// Runs one regression test through the scheduler and compares the result with Pacemaker's expected
/// output at the four levels: transition summary (as a set of lines, padding ignored), revised cluster
/// status, scores (as a multiset), and the transition graph (compared as a graph).
/// </summary>
internal static class ConformanceRunner
{
    public static CaseResult Run(CorpusTest test)
    {
        SimulationResult result;
        try
        {
            var cib = CibImport.Parse(File.ReadAllText(Corpus.XmlPath(test.Name)));
            DateTimeOffset? fixedNow = null;
            if (test.FixedDate is { } date)
            {
                if (!PacemakerDate.TryParse(date, out var parsed))
                {
                    return CaseResult.Error(test.Name, $"cannot read -t {date}");
                }
                fixedNow = parsed;
            }
            var snapshot = ClusterSnapshot.FromCib(cib, DateTimeOffset.UtcNow, fixedNow) with { Simulation = true };
            result = Simulator.Run(snapshot, showScores: true);
        }
        catch (Exception e)
        {
            return CaseResult.Error(test.Name, $"{e.GetType().Name}: {OneLine(e.Message)}");
        }
        var expected = ExpectedSummary.Parse(File.ReadAllLines(Corpus.SummaryPath(test.Name)));
        return new CaseResult(test.Name,
        [
            CompareSummary(expected.Section(ExpectedSummary.SummaryHeader), result.TransitionSummary),
            CompareLines("revised status", expected.Section(ExpectedSummary.RevisedHeader), result.RevisedStatus),
            CompareScores(File.ReadAllLines(Corpus.ScoresPath(test.Name)), result.Scores),
            CompareGraph(test.Name, result),
        ]);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    internal static string? CompareSummary(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var want = expected.Select(ExpectedSummary.Normalize).Select(l => l.TrimStart('*', ' ')).ToHashSet(StringComparer.Ordinal);
        var got = actual.Select(ExpectedSummary.Normalize).ToHashSet(StringComparer.Ordinal);
        var missing = want.Except(got).ToList();
        var extra = got.Except(want).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return null;
        }
        return missing.Count > 0 ? $"summary: missing '{missing[0]}' (+{missing.Count - 1}), {extra.Count} extra"
                                 : $"summary: extra '{extra[0]}' (+{extra.Count - 1})";
    }

    internal static string? CompareLines(string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var want = expected.Select(ExpectedSummary.Normalize).ToList();
        var got = actual.Select(ExpectedSummary.Normalize).Where(l => l.Length > 0).ToList();
        for (var i = 0; i < Math.Max(want.Count, got.Count); i++)
        {
            var w = i < want.Count ? want[i] : "<end>";
            var g = i < got.Count ? got[i] : "<end>";
            if (w != g)
            {
                return $"{what} line {i + 1}: expected '{w}', got '{g}'";
            }
        }
        return null;
    }

    private static string? CompareScores(IEnumerable<string> expectedLines, IReadOnlyList<string> actual)
    {
        var want = expectedLines.Select(ExpectedSummary.Normalize).Where(l => l.Length > 0 && l != "Allocation scores:").Order(StringComparer.Ordinal).ToList();
        var got = actual.Select(ExpectedSummary.Normalize).Order(StringComparer.Ordinal).ToList();
        var missing = want.Except(got).ToList();
        var extra = got.Except(want).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            return missing.Count > 0 ? $"scores: missing '{missing[0]}' (+{missing.Count - 1}), {extra.Count} extra"
                                     : $"scores: extra '{extra[0]}' (+{extra.Count - 1})";
        }
        return want.Count == got.Count ? null : $"scores: {got.Count} lines, expected {want.Count}";
    }

    private static string? CompareGraph(string name, SimulationResult result)
    {
        var expected = GraphShape.FromExpected(Corpus.GraphPath(name));
        var difference = expected.Difference(GraphShape.FromGraph(result.Graph));
        return difference is null ? null : "graph: " + difference;
    }
}
