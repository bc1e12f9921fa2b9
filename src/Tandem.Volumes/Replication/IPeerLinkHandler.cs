using Tandem.Volumes.Metadata;
using Tandem.Volumes.Protocol;

namespace Tandem.Volumes.Replication;

/// <summary>What a <see cref="PeerLink"/> asks of its volume. Calls come from the link's sender and receiver threads.</summary>
public unsafe interface IPeerLinkHandler
{
    /// <summary>Payload of an outgoing Write or ResyncData; the 32 bytes before it are free for the frame header.</summary>
    byte* PayloadOf(in OutgoingFrame frame);

    /// <summary>The frame is in the socket's send buffer (protocol A counts a write done here).</summary>
    void Sent(in OutgoingFrame frame);

    /// <summary>The peer acknowledged the frame (written, flushed, applied).</summary>
    void Acknowledged(in OutgoingFrame frame);

    /// <summary>The link failed before the frame was acknowledged; <paramref name="acknowledged"/> says if only the flush was missing.</summary>
    void Dropped(in OutgoingFrame frame, bool acknowledged);

    /// <summary>A replicated write arrived; returns 0 or an errno.</summary>
    int ApplyWrite(long offset, byte* data, int length, bool resync);

    /// <summary>Make every write applied so far durable; returns 0 or an errno.</summary>
    int ApplyFlush();

    void ResyncDone(GenerationIds sourceIds);

    void PeerStateChanged(StateMessage state);

    void PeerDisconnecting(bool outdateMe);

    /// <summary>The link is gone (error, timeout, violation, disconnect); called once, after every pending frame was dropped.</summary>
    void Failed(PeerLink link, string reason);
}
