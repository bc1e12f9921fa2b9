namespace Tandem.Model.Diagnostics;

/// <summary>How findings are summed up for people: "1 error, 2 warnings, 3 notes".</summary>
public static class DiagnosticReport
{
    public static string Summary(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var counts = diagnostics.GroupBy(d => d.Severity).ToDictionary(g => g.Key, g => g.Count());
        var parts = new List<string>();
        void Add(DiagnosticSeverity severity, string one, string many)
        {
            if (counts.TryGetValue(severity, out var n))
            {
                parts.Add($"{n} {(n == 1 ? one : many)}");
            }
        }
        Add(DiagnosticSeverity.Error, "error", "errors");
        Add(DiagnosticSeverity.Warning, "warning", "warnings");
        Add(DiagnosticSeverity.Unsupported, "unsupported feature", "unsupported features");
        Add(DiagnosticSeverity.Info, "note", "notes");
        return parts.Count == 0 ? "no findings" : string.Join(", ", parts);
    }
}
