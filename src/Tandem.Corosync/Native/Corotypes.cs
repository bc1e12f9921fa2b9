namespace Tandem.Corosync.Native;

/// <summary>corosync's cs_error_t (corotypes.h). Every client library call returns one.</summary>
internal enum CsError
{
    Ok = 1,
    Library = 2,
    Version = 3,
    Init = 4,
    Timeout = 5,
    TryAgain = 6,
    InvalidParam = 7,
    NoMemory = 8,
    BadHandle = 9,
    Busy = 10,
    Access = 11,
    NotExist = 12,
    NameTooLong = 13,
    Exist = 14,
    NoSpace = 15,
    Interrupt = 16,
    NameNotFound = 17,
    NoResources = 18,
    NotSupported = 19,
    BadOperation = 20,
    FailedOperation = 21,
    MessageError = 22,
    QueueFull = 23,
    QueueNotAvailable = 24,
    BadFlags = 25,
    TooBig = 26,
    NoSections = 27,
    ContextNotFound = 28,
    TooManyGroups = 30,
    Security = 100,
}

/// <summary>cs_dispatch_flags_t.</summary>
internal enum CsDispatchFlags
{
    One = 1,
    All = 2,
    Blocking = 3,
    OneNonblocking = 4,
}

/// <summary>CS_TRACK_* flags for the *_trackstart calls.</summary>
[Flags]
internal enum CsTrackFlags : uint
{
    Current = 0x01,
    Changes = 0x02,
    ChangesOnly = 0x04,
}

internal static class CsErrorText
{
    /// <summary>The constant's name as corosync's headers and logs spell it (CS_ERR_TRY_AGAIN).</summary>
    public static string Name(this CsError error) => error switch
    {
        CsError.Ok => "CS_OK",
        CsError.Library => "CS_ERR_LIBRARY",
        CsError.TryAgain => "CS_ERR_TRY_AGAIN",
        CsError.NotExist => "CS_ERR_NOT_EXIST",
        CsError.BadHandle => "CS_ERR_BAD_HANDLE",
        CsError.Access => "CS_ERR_ACCESS",
        CsError.TooBig => "CS_ERR_TOO_BIG",
        CsError.NameTooLong => "CS_ERR_NAME_TOO_LONG",
        CsError.Exist => "CS_ERR_EXIST",
        CsError.Security => "CS_ERR_SECURITY",
        _ => $"CS_ERR {(int)error}",
    };
}
