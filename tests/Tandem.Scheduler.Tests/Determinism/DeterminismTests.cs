using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;
using Tandem.Model.Cib;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Tests.Conformance;

namespace Tandem.Scheduler.Tests.Determinism;

/// <summary>
/// The scheduler is a function of its snapshot: the same input gives the same output, and so does the
/// input with its elements reordered where the order carries no meaning.
/// </summary>
public sealed class DeterminismTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SimulationResult Run(XElement cib) =>
        Simulator.Run(ClusterSnapshot.FromCib(CibImport.FromXml(cib), Now) with { Simulation = true }, showScores: true);

    private static string Fingerprint(SimulationResult result) => string.Join('\n',
    [
        .. result.CurrentStatus,
        "--",
        .. result.TransitionSummary.Order(StringComparer.Ordinal),
        "--",
        .. result.RevisedStatus,
        "--",
        .. result.Scores.Order(StringComparer.Ordinal),
        "--",
        GraphShape.FromGraph(result.Graph).ToString(),
    ]);

    [Fact]
    public void RunningTwiceGivesIdenticalOutputAndGraph()
    {
        foreach (var name in Corpus.CoreSubsetWithFencing.Take(40))
        {
            var cib = XElement.Load(Corpus.XmlPath(name));
            var first = Run(cib);
            var second = Run(cib);
            Assert.Equal(first.ToText(true, true, true), second.ToText(true, true, true));
            Assert.Equal(Tandem.Scheduler.Graph.GraphXml.ToXml(first.Graph).ToString(), Tandem.Scheduler.Graph.GraphXml.ToXml(second.Graph).ToString());
        }
    }

    [Fact]
    public void ReorderingMeaninglessElementsDoesNotChangeThePlan()
    {
        var names = Corpus.CoreSubsetWithFencing;
        var cibs = names.Select(n => XElement.Load(Corpus.XmlPath(n))).ToList();
        var baseline = new Dictionary<int, string>();
        var cases = Gen.Choose(0, cibs.Count - 1).SelectMany(i => Gen.Choose(1, int.MaxValue).Select(seed => (Index: i, Seed: seed)));
        Prop.ForAll(Arb.From(cases), c =>
        {
            if (!baseline.TryGetValue(c.Index, out var expected))
            {
                expected = Fingerprint(Run(cibs[c.Index]));
                baseline[c.Index] = expected;
            }
            var shuffled = Fingerprint(Run(CibShuffler.Shuffle(cibs[c.Index], c.Seed)));
            return (shuffled == expected).Label($"{names[c.Index]} shuffled with seed {c.Seed}");
        }).QuickCheckThrowOnFailure();
    }
}
