namespace Tandem.Scheduler.Unpack;

/// <summary>Execution status codes of recorded operations (op-status) and OCF result codes.</summary>
internal static class ExecStatus
{
    public const int Unknown = -2;
    public const int Pending = -1;
    public const int Done = 0;
    public const int Cancelled = 1;
    public const int Timeout = 2;
    public const int NotSupported = 3;
    public const int Error = 4;
    public const int ErrorHard = 5;
    public const int ErrorFatal = 6;
    public const int NotInstalled = 7;
    public const int NotConnected = 8;
    public const int Invalid = 9;
    public const int NoFenceDevice = 10;
    public const int NoSecrets = 11;

    public const int OcfOk = 0;
    public const int OcfUnknownError = 1;
    public const int OcfInvalidParam = 2;
    public const int OcfUnimplementFeature = 3;
    public const int OcfInsufficientPriv = 4;
    public const int OcfNotInstalled = 5;
    public const int OcfNotConfigured = 6;
    public const int OcfNotRunning = 7;
    public const int OcfRunningPromoted = 8;
    public const int OcfFailedPromoted = 9;
    public const int OcfDegraded = 190;
    public const int OcfDegradedPromoted = 191;

    /// <summary>The short description crm_mon shows for an OCF result (services_ocf_exitcode_str).</summary>
    public static string OcfText(int rc) => rc switch
    {
        0 => "ok",
        1 => "error",
        2 => "invalid parameter",
        3 => "unimplemented feature",
        4 => "insufficient privileges",
        5 => "not installed",
        6 => "not configured",
        7 => "not running",
        8 => "promoted",
        9 => "promoted (failed)",
        190 => "OCF_DEGRADED",
        191 => "promoted (degraded)",
        _ => "unknown",
    };

    /// <summary>The execution status as crm_mon shows it (pcmk_exec_status_str).</summary>
    public static string StatusText(int status) => status switch
    {
        Pending => "pending",
        Done => "complete",
        Cancelled => "Cancelled",
        Timeout => "Timed Out",
        NotSupported => "NOT SUPPORTED",
        Error => "Error",
        ErrorHard => "Hard error",
        ErrorFatal => "Fatal error",
        NotInstalled => "Not installed",
        NotConnected => "Internal communication failure",
        Invalid => "Cannot execute now",
        NoFenceDevice => "No fence device",
        NoSecrets => "CIB secrets unavailable",
        _ => "UNKNOWN",
    };
}
