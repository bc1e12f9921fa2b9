using Tandem.Model.Diagnostics;

namespace Tandem.Model.Validation;

/// <summary>
/// The offline checks of <c>tandem verify</c> (what crm_verify checks without a live cluster, and more):
/// duplicate ids, dangling references, values that do not parse, contradictory constraints, and risky
/// settings explained in plain words. Checks that need the agents' metadata (unknown agents, missing
/// required parameters) live with the agents (Tandem.Agents' ConfigurationAgentCheck) and are added by
/// the caller that can run agents.
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<Diagnostic> Validate(ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var findings = new List<Diagnostic>();
        // In order of what matters most to read first; callers sort by severity, keeping this order within one.
        IdChecks.Check(configuration, findings);
        ReferenceChecks.Check(configuration, findings);
        ConflictChecks.Check(configuration, findings);
        RiskChecks.Check(configuration, findings);
        ValueChecks.Check(configuration, findings);
        return findings;
    }
}
