namespace Tandem.Deployment.Doctor;

/// <summary>How a preflight check came out. Only <see cref="Failed"/> makes `tandem doctor` fail.</summary>
public enum Verdict
{
    Ok,
    Warning,
    Failed,

    /// <summary>Does not apply here (e.g. no systemd running), or the facts could not be gathered.</summary>
    Skipped,
}

/// <summary>One check of `tandem doctor`: what was checked, the verdict, what was found, and the fix in one line.</summary>
/// <param name="Id">Stable identifier for programs, e.g. <c>names.peer.braavos</c>.</param>
/// <param name="Verdict">How it came out.</param>
/// <param name="Detail">What was found, in one line.</param>
/// <param name="Fix">The command or change that fixes it, in one line; null when nothing is to be done.</param>
public sealed record CheckResult(string Id, Verdict Verdict, string Detail, string? Fix = null)
{
    public static CheckResult Ok(string id, string detail) => new(id, Verdict.Ok, detail);

    public static CheckResult Warning(string id, string detail, string fix) => new(id, Verdict.Warning, detail, fix);

    public static CheckResult Failed(string id, string detail, string fix) => new(id, Verdict.Failed, detail, fix);

    public static CheckResult Skipped(string id, string detail) => new(id, Verdict.Skipped, detail);
}
