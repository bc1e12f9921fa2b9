using Tandem.Corosync.Native;

namespace Tandem.Corosync;

/// <summary>A corosync client library call failed; the message names the call and corosync's error.</summary>
public sealed class CorosyncException : Exception
{
    internal CorosyncException(string call, CsError error)
        : base($"{call} failed: {error.Name()}")
    {
        Error = error;
    }

    internal CsError Error { get; }

    /// <summary>corosync is gone (CS_ERR_LIBRARY): the connection must be made again.</summary>
    public bool ConnectionLost => Error is CsError.Library or CsError.BadHandle;

    /// <summary>corosync is busy (starting, or forming a membership): the call may succeed if tried again.</summary>
    public bool Transient => Error is CsError.TryAgain;

    internal static void ThrowIfFailed(CsError error, string call)
    {
        if (error != CsError.Ok)
        {
            throw new CorosyncException(call, error);
        }
    }
}
