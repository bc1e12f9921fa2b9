using Tandem.Agents.Processes;

namespace Tandem.Agents.Execution;

/// <summary>
/// Maps what an agent process did to Tandem's result model (pure). OCF codes map one to one; LSB
/// <c>status</c> 1-3 mean stopped and 4 unknown; other LSB codes share OCF's meaning for 0-7; systemd's
/// <c>is-active</c> answers by its first line; a fence agent's status exits 0 for on and 2 for off.
/// </summary>
public static class ResultMapper
{
    /// <summary>The status and normalised exit code of a process that exited (or was killed by a signal
    /// not of our making).</summary>
    public static (OperationStatus Status, OcfExitCode ExitCode, ErrorClass ErrorClass) Map(
        AgentClass agentClass, string action, ProcessExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        if (exit.ExitCode is not { } code)
        {
            // Crashed (or killed by someone else): a generic failure, recoverable in place.
            return (OperationStatus.Error, OcfExitCode.ErrGeneric, ErrorClass.Soft);
        }
        var normalised = agentClass switch
        {
            AgentClass.Ocf => FromOcf(code),
            AgentClass.Lsb => FromLsb(action, code),
            AgentClass.Systemd => FromSystemd(action, code, exit.Stdout.Text),
            AgentClass.Stonith => FromFence(action, code),
            _ => OcfExitCode.ErrGeneric,
        };
        return (StatusOf(normalised), normalised, ClassOf(normalised));
    }

    public static OperationStatus StatusOf(OcfExitCode code) => code switch
    {
        OcfExitCode.Success => OperationStatus.Success,
        OcfExitCode.NotRunning => OperationStatus.NotRunning,
        OcfExitCode.RunningPromoted => OperationStatus.Promoted,
        OcfExitCode.FailedPromoted => OperationStatus.FailedPromoted,
        OcfExitCode.Degraded => OperationStatus.Degraded,
        OcfExitCode.DegradedPromoted => OperationStatus.DegradedPromoted,
        _ => OperationStatus.Error,
    };

    /// <summary>The error class of a code when it is a failure; 7 and 8 are failures only where they
    /// were not expected, which the coordinator knows, so they carry <see cref="ErrorClass.Soft"/> for it
    /// to apply.</summary>
    public static ErrorClass ClassOf(OcfExitCode code) => code switch
    {
        OcfExitCode.Success or OcfExitCode.Degraded or OcfExitCode.DegradedPromoted => ErrorClass.None,
        OcfExitCode.ErrArgs or OcfExitCode.ErrUnimplemented or OcfExitCode.ErrPerm or OcfExitCode.ErrInstalled => ErrorClass.Hard,
        OcfExitCode.ErrConfigured => ErrorClass.Fatal,
        _ => ErrorClass.Soft,
    };

    private static OcfExitCode FromOcf(int code) => Enum.IsDefined((OcfExitCode)code) ? (OcfExitCode)code : OcfExitCode.ErrGeneric;

    private static OcfExitCode FromLsb(string action, int code)
    {
        if (action is "monitor" or "status")
        {
            return code switch
            {
                0 => OcfExitCode.Success,
                // 1: dead, pid file exists; 2: dead, lock file exists; 3: not running.
                1 or 2 or 3 => OcfExitCode.NotRunning,
                // 4: status unknown, and anything else: the script failed.
                _ => OcfExitCode.ErrGeneric,
            };
        }
        return code is >= 0 and <= 7 ? (OcfExitCode)code : OcfExitCode.ErrGeneric;
    }

    private static OcfExitCode FromSystemd(string action, int code, string stdout)
    {
        if (action is "monitor" or "status")
        {
            var state = stdout.Split('\n', 2)[0].Trim();
            return state switch
            {
                "active" or "reloading" or "activating" => OcfExitCode.Success,
                "" when code == 0 => OcfExitCode.Success,
                _ => OcfExitCode.NotRunning,
            };
        }
        return code switch
        {
            0 => OcfExitCode.Success,
            // systemctl exits 5 when the unit does not exist (LSB "not installed").
            5 => OcfExitCode.ErrInstalled,
            4 => OcfExitCode.ErrPerm,
            _ => OcfExitCode.ErrGeneric,
        };
    }

    private static OcfExitCode FromFence(string action, int code) => (action, code) switch
    {
        (_, 0) => OcfExitCode.Success,
        ("status", 2) => OcfExitCode.NotRunning,
        _ => OcfExitCode.ErrGeneric,
    };

    /// <summary>The result of an agent that could not be executed.</summary>
    public static (OcfExitCode ExitCode, string Reason) FromLaunchFailure(ProcessLaunchException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Failure switch
        {
            LaunchFailure.NotFound => (OcfExitCode.ErrInstalled, failure.Message),
            LaunchFailure.NotExecutable => (OcfExitCode.ErrPerm, failure.Message),
            _ => (OcfExitCode.ErrGeneric, failure.Message),
        };
    }
}
