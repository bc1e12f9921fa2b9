using System.Xml.Linq;
using Tandem.Model.Cib;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Tests.Conformance;

namespace Tandem.Scheduler.Tests.Differential;

/// <summary>One generated CIB run through Tandem and crm_simulate, compared at levels 1 and 2.</summary>
internal static class DifferentialRunner
{
    /// <summary>The comparison: levels 1 and 2 (<see cref="Disagreement"/>) and, for information, the graph.</summary>
    public sealed record Outcome(string Name, XElement Cib, string Reference, string? Disagreement, string? GraphDisagreement);

    public static Outcome Run(string name, XElement cib, string workDirectory)
    {
        var file = Path.Combine(workDirectory, name + ".xml");
        var graphFile = Path.Combine(workDirectory, name + ".exp");
        cib.Save(file);
        var reference = CrmSimulate.Simulate(file, graphFile);
        string? graphDisagreement;
        try
        {
            var snapshot = ClusterSnapshot.FromCib(CibImport.FromXml(cib), DateTimeOffset.UnixEpoch) with { Simulation = true };
            graphDisagreement = GraphShape.FromExpected(graphFile).Difference(GraphShape.FromGraph(Tandem.Scheduler.Scheduler.Schedule(snapshot).Graph));
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException)
        {
            graphDisagreement = "no graph from crm_simulate";
        }
        File.Delete(file);
        File.Delete(graphFile);
        return new Outcome(name, cib, reference, Compare(cib, reference), graphDisagreement);
    }

    /// <summary>The first difference between Tandem and the reference output, or null when they agree.</summary>
    public static string? Compare(XElement cib, string reference)
    {
        var expected = ExpectedSummary.Parse(reference.Split('\n'));
        if (expected.Section(ExpectedSummary.RevisedHeader).Count == 0)
        {
            return "crm_simulate printed no revised status";
        }
        SimulationResult result;
        try
        {
            var snapshot = ClusterSnapshot.FromCib(CibImport.FromXml(cib), DateTimeOffset.UnixEpoch) with { Simulation = true };
            result = Simulator.Run(snapshot);
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
        }
        return ConformanceRunner.CompareSummary(expected.Section(ExpectedSummary.SummaryHeader), result.TransitionSummary)
               ?? ConformanceRunner.CompareLines("revised status", expected.Section(ExpectedSummary.RevisedHeader), result.RevisedStatus);
    }
}
