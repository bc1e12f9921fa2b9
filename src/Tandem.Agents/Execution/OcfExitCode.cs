namespace Tandem.Agents.Execution;

/// <summary>The exit codes of the OCF resource agent API (ra/1.1), which Tandem also uses for normalised LSB,
/// systemd and fence results.</summary>
#pragma warning disable CA1008 // Success is the zero value, named as the spec names it.
public enum OcfExitCode
#pragma warning restore CA1008
{
    Success = 0,
    ErrGeneric = 1,
    ErrArgs = 2,
    ErrUnimplemented = 3,
    ErrPerm = 4,
    ErrInstalled = 5,
    ErrConfigured = 6,
    NotRunning = 7,
    RunningPromoted = 8,
    FailedPromoted = 9,
    Degraded = 190,
    DegradedPromoted = 191,
}
