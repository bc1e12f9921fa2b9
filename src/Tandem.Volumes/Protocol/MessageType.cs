namespace Tandem.Volumes.Protocol;

/// <summary>Frame types of the peer protocol; <c>Arg</c> in the header carries the per-type number noted here.</summary>
public enum MessageType : byte
{
    /// <summary>Versions, node and volume names, a fresh nonce.</summary>
    Hello = 1,

    /// <summary>HMAC-SHA256 over both nonces with the shared secret.</summary>
    Auth = 2,

    /// <summary>Size, generation ids, role, disk state, flags, out-of-sync count.</summary>
    State = 3,

    /// <summary>One bitmap page (Arg = page index) of the bitmap exchange.</summary>
    BitmapPage = 4,

    /// <summary>End of the bitmap exchange.</summary>
    BitmapDone = 5,

    /// <summary>A replicated write (Arg = byte offset; payload = data).</summary>
    Write = 6,

    /// <summary>The ordered frame (Write, Flush, ResyncData, ResyncDone, StateChange) with sequence number Arg is done on the peer.</summary>
    Ack = 7,

    /// <summary>Make every earlier write durable; acknowledged when it is.</summary>
    Flush = 8,

    Ping = 10,

    PingAck = 11,

    /// <summary>Resync data pushed by the source (Arg = byte offset; payload = data).</summary>
    ResyncData = 12,

    /// <summary>The source's bitmap is empty; payload: the generation ids the target adopts.</summary>
    ResyncDone = 14,

    /// <summary>The sender's role or disk state changed (payload as State).</summary>
    StateChange = 16,

    /// <summary>The sender disconnects on purpose; Arg = 1 when the receiver must mark itself Outdated.</summary>
    Disconnect = 17,
}
