namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>The sections of crm_simulate -S output, each a list of lines (blank lines dropped).</summary>
internal sealed class ExpectedSummary
{
    public const string CurrentHeader = "Current cluster status:";
    public const string SummaryHeader = "Transition Summary:";
    public const string ExecutingHeader = "Executing Cluster Transition:";
    public const string RevisedHeader = "Revised Cluster Status:";

    private readonly Dictionary<string, List<string>> _sections = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Section(string header) => _sections.GetValueOrDefault(header) ?? [];

    public static ExpectedSummary Parse(IEnumerable<string> lines)
    {
        var summary = new ExpectedSummary();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line is CurrentHeader or SummaryHeader or ExecutingHeader or RevisedHeader)
            {
                // A repeated header (crm_simulate prints some sections twice) starts the section afresh.
                current = [];
                summary._sections[line] = current;
            }
            else if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                current = null;
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                current.Add(line);
            }
        }
        return summary;
    }

    /// <summary>A line with runs of whitespace collapsed, for comparisons where padding does not matter.</summary>
    public static string Normalize(string line) => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
