namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>One regression test: its name, description and extra crm_simulate arguments.</summary>
internal sealed record CorpusTest(string Name, string Description, IReadOnlyList<string> Arguments)
{
    /// <summary>The date given with -t, which fixes "now" for the test.</summary>
    public string? FixedDate
    {
        get
        {
            for (var i = 0; i + 1 < Arguments.Count; i++)
            {
                if (Arguments[i] == "-t")
                {
                    return Arguments[i + 1];
                }
            }
            return null;
        }
    }
}
