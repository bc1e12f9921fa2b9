namespace Tandem.Model.Diagnostics;

/// <summary>
/// A finding about a configuration: where it is (a path such as "constraints/rsc_ticket[id=t1]" and,
/// for input files, the line), how serious, and what it means in plain words.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Path, string Message)
{
    public int? Line { get; init; }

    /// <summary>A stable name of the kind of finding ("fencing-disabled", "duplicate-id"), for programs and tests.</summary>
    public string? Code { get; init; }

    /// <summary>One line: "line 12: constraints/rsc_ticket[id=t1]: unsupported element ...".</summary>
    public override string ToString() =>
        Line is { } line ? $"line {line}: {Severity.ToName()}: {Message} (at {Path})" : $"{Severity.ToName()}: {Message} (at {Path})";
}

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Accepted but noteworthy, e.g. a deprecated spelling that was converted.</summary>
    Info,

    /// <summary>Accepted but probably not what was meant, or risky.</summary>
    Warning,

    /// <summary>A valid Pacemaker feature that Tandem does not implement yet; kept or named, never silently dropped.</summary>
    Unsupported,

    /// <summary>Invalid: a bad value, a missing required attribute, a dangling reference.</summary>
    Error,
}

/// <summary>Lowercase names of <see cref="DiagnosticSeverity"/>.</summary>
public static class DiagnosticSeverityNames
{
    public static string ToName(this DiagnosticSeverity severity) => severity.ToString().ToLowerInvariant();
}
