namespace Tandem.Deployment.Doctor;

/// <summary>Every check of `tandem doctor`, in the order they are shown: pure functions of the facts.</summary>
public static class DoctorChecks
{
    public static IReadOnlyList<CheckResult> Run(DoctorFacts facts) =>
    [
        .. NameChecks.Run(facts),
        .. ClockChecks.Run(facts),
        .. SystemChecks.Run(facts),
        .. PortChecks.Run(facts),
        FirewallChecks.Run(facts),
    ];

    /// <summary>The node is ready when nothing failed; warnings are shown but do not block.</summary>
    public static bool Passed(IEnumerable<CheckResult> results) => results.All(r => r.Verdict != Verdict.Failed);
}
