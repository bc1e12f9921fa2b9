namespace Tandem.Agents.Metadata;

/// <summary>How serious a finding of <see cref="ParameterValidator"/> is.</summary>
public enum FindingSeverity
{
    /// <summary>The agent would refuse or misbehave: the configuration is wrong.</summary>
    Error,

    /// <summary>Probably a mistake (an unknown or deprecated parameter, a value of the wrong type).</summary>
    Warning,
}

/// <summary>One problem with a resource's parameters, in a sentence that names the parameter.</summary>
public sealed record ParameterFinding(FindingSeverity Severity, string Parameter, string Message);
