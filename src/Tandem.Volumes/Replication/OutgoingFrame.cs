using Tandem.Volumes.Protocol;

namespace Tandem.Volumes.Replication;

/// <summary>An ordered frame waiting in the send queue or for its acknowledgement.</summary>
/// <param name="Type">Write, Flush, ResyncData, ResyncDone or StateChange.</param>
/// <param name="Arg">Byte offset (Write, ResyncData) or the sender's own tag (Flush: barrier epoch).</param>
/// <param name="Length">Payload bytes.</param>
/// <param name="Owner">The FUSE slot or resync buffer index that owns the payload, or -1.</param>
/// <param name="Small">Payload of a small control frame (ResyncDone, StateChange), else null.</param>
public record struct OutgoingFrame(MessageType Type, long Arg, int Length, int Owner, byte[]? Small)
{
    public ulong Sequence { get; set; }

    /// <summary>Fully handed to the socket (set by the link before it reports <see cref="IPeerLinkHandler.Sent"/>).</summary>
    public bool Sent { get; set; }

    public bool Acked { get; set; }

    /// <summary>When it was handed to the socket (Environment.TickCount64), for the acknowledgement timeout.</summary>
    public long SentAtMs { get; set; }
}
