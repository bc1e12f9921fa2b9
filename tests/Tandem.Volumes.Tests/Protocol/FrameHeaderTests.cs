using FsCheck;
using FsCheck.Fluent;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Protocol;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Tests.Protocol;

public class FrameHeaderTests
{
    [Fact]
    public void A_header_reads_back_as_written()
    {
        var h = new FrameHeader(MessageType.Write, 42, 1L << 33, 1 << 20);
        var bytes = new byte[FrameHeader.Size];
        h.Write(bytes);
        Assert.Equal(h, FrameHeader.Read(bytes));
    }

    [Fact]
    public void Garbage_is_rejected_as_a_protocol_violation_and_nothing_else()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i))), bytes =>
        {
            try
            {
                FrameHeader.Read(bytes);
                return false; // a random 32-byte header passing magic and CRC is (almost) impossible
            }
            catch (ProtocolViolationException)
            {
                return true;
            }
        }));
    }

    [Fact]
    public void Any_single_bit_flip_of_a_valid_header_is_detected()
    {
        var bytes = new byte[FrameHeader.Size];
        new FrameHeader(MessageType.Ack, 7, 6, 0).Write(bytes);
        for (var bit = 0; bit < FrameHeader.Size * 8; bit++)
        {
            var copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<ProtocolViolationException>(() => FrameHeader.Read(copy));
        }
    }

    [Theory]
    [InlineData(MessageType.Write, (1 << 20) + 512)]
    [InlineData(MessageType.Write, 100)]
    [InlineData(MessageType.State, 5000)]
    [InlineData((MessageType)99, 0)]
    public void Valid_checksums_do_not_excuse_bad_contents(MessageType type, int length)
    {
        var bytes = new byte[FrameHeader.Size];
        new FrameHeader(type, 1, 0, length).Write(bytes);
        Assert.Throws<ProtocolViolationException>(() => FrameHeader.Read(bytes));
    }

    [Fact]
    public void Message_decoders_reject_garbage_without_crashing()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i))), bytes =>
        {
            foreach (var decode in new Action[] { () => HelloMessage.Decode(bytes), () => StateMessage.Decode(bytes), () => StateMessage.DecodeIds(bytes) })
            {
                try
                {
                    decode();
                }
                catch (ProtocolViolationException)
                {
                }
            }
            return true;
        }));
    }

    [Fact]
    public void Hello_and_state_round_trip()
    {
        var hello = new HelloMessage(1, 1, "astapor", "optzimbra", PeerAuthenticator.NewNonce());
        var back = HelloMessage.Decode(hello.Encode());
        Assert.Equal((hello.Node, hello.Volume), (back.Node, back.Volume));
        Assert.Equal(hello.Nonce, back.Nonce);
        var state = new StateMessage(1 << 30, ReplicationProtocol.A,
            new ReplicaView(new GenerationIds(1, 2, 3, 4), Role.Primary, true, false, 77), DiskState.UpToDate);
        Assert.Equal(state, StateMessage.Decode(state.Encode()));
    }
}
