namespace Tandem.Volumes.DataPlane;

/// <summary>
/// What the FUSE server asks of the volume for the image file's data. Called on reader threads; a call
/// may finish later on another thread (peer acknowledgement) through <see cref="FuseServer.Complete"/>.
/// </summary>
public interface IFuseHandler
{
    /// <summary>WRITE of <see cref="FuseRequest.Size"/> bytes at <see cref="FuseRequest.Offset"/>, data in the payload.</summary>
    void Write(FuseRequest request);

    /// <summary>READ into the payload; finish with <see cref="FuseServer.ReplyData"/>.</summary>
    void Read(FuseRequest request);

    /// <summary>FSYNC: everything acknowledged before it must become durable where the protocol says.</summary>
    void Fsync(FuseRequest request);
}
