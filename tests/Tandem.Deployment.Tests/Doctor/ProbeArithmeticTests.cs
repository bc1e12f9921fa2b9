using System.Net;
using Tandem.Deployment.Doctor;

namespace Tandem.Deployment.Tests.Doctor;

public class ProbeArithmeticTests
{
    [Theory]
    // originate, receive (peer), transmit (peer), arrival, expected offset, expected round trip
    [InlineData(1000, 1501, 1501, 1002, 500, 2)]
    [InlineData(1000, 700, 701, 1003, -301, 2)]
    // Across midnight: the peer's clock has already wrapped to 0.
    [InlineData(86_399_990, 10, 10, 86_399_994, 18, 4)]
    public void Offset_and_round_trip_follow_ntp_arithmetic(double originate, double receive, double transmit, double arrival, double offset, double rtt)
    {
        var (o, r) = IcmpClockProbe.Compute(originate, receive, transmit, arrival);
        Assert.Equal(offset, o, 3);
        Assert.Equal(rtt, r, 3);
    }

    [Fact]
    public void Kernel_socket_tables_are_read_with_little_endian_words()
    {
        const string tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0B004D0A:1D1E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
               1: 0100007F:0016 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 100 0 0 10 0
            """;
        var socket = Assert.Single(ProcNet.Parse("tcp", tcp));
        Assert.Equal(IPAddress.Parse("10.77.0.11"), socket.Address);
        Assert.Equal(7454, socket.Port);
        Assert.Equal(4242, socket.Inode);
    }

    [Fact]
    public void A_skewed_clock_is_ahead_by_its_offset()
    {
        var skewed = new SkewedTimeProvider(TimeProvider.System, TimeSpan.FromSeconds(5));
        var difference = skewed.GetUtcNow() - TimeProvider.System.GetUtcNow();
        Assert.InRange(difference.TotalSeconds, 4.9, 5.1);
    }
}
