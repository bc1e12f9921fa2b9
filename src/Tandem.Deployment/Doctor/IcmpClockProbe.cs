using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Tandem.Deployment.Doctor;

/// <summary>
/// Measures a peer's clock without any service on the peer: ICMP timestamp requests (RFC 792, type 13),
/// which the Linux kernel answers with its clock in milliseconds since midnight UTC. The sample with the
/// shortest round trip wins (NTP's rule); the offset is known to within half of its round trip plus the
/// protocol's 1 ms resolution. Needs a raw socket (root); IPv4 only (ICMPv6 has no timestamp message).
/// </summary>
public sealed class IcmpClockProbe(TimeProvider time)
{
    private const int TimestampRequest = 13;
    private const int TimestampReply = 14;
    private const double DayMs = 86_400_000;

    public async Task<PeerClock> MeasureAsync(string peer, IPAddress address, int samples, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return new PeerClock(peer, null, null, $"{address} is IPv6, which has no ICMP timestamp");
        }
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
        var identifier = (ushort)RandomNumberGenerator.GetInt32(1, 65536);
        (double Offset, double Rtt)? best = null;
        string? error = null;
        for (ushort sequence = 1; sequence <= samples; sequence++)
        {
            try
            {
                var sample = await SampleAsync(socket, address, identifier, sequence, timeout, cancellationToken).ConfigureAwait(false);
                if (sample is { } s && (best is null || s.Rtt < best.Value.Rtt))
                {
                    best = s;
                }
            }
            catch (SocketException e)
            {
                error = e.Message;
            }
        }
        return best is { } b ? new PeerClock(peer, b.Offset, b.Rtt) : new PeerClock(peer, null, null, error ?? $"no ICMP timestamp reply from {address} within {timeout.TotalSeconds:0.#} s");
    }

    private async Task<(double Offset, double Rtt)?> SampleAsync(Socket socket, IPAddress address, ushort identifier, ushort sequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new byte[20];
        request[0] = TimestampRequest;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), sequence);
        var originate = MsOfDay();
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(8), (uint)originate);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));
        await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(address, 0), cancellationToken).ConfigureAwait(false);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[1500];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token).ConfigureAwait(false);
                var arrival = MsOfDay();
                // A raw IPv4 socket receives the IP header too.
                var headerLength = (buffer[0] & 0x0F) * 4;
                var icmp = buffer.AsSpan(headerLength, received.ReceivedBytes - headerLength);
                if (!((IPEndPoint)received.RemoteEndPoint).Address.Equals(address) || icmp.Length < 20 || icmp[0] != TimestampReply
                    || BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) != identifier || BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) != sequence)
                {
                    continue;
                }
                var receive = BinaryPrimitives.ReadUInt32BigEndian(icmp[12..]);
                var transmit = BinaryPrimitives.ReadUInt32BigEndian(icmp[16..]);
                return Compute(Math.Floor(originate), receive, transmit, arrival);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>NTP's arithmetic on the four times, with differences taken across midnight.</summary>
    public static (double Offset, double Rtt) Compute(double originate, double receive, double transmit, double arrival)
    {
        var outbound = Wrap(receive - originate);
        var inbound = Wrap(transmit - arrival);
        return ((outbound + inbound) / 2, Math.Max(0, Wrap(arrival - originate) - Wrap(transmit - receive)));
    }

    private static double Wrap(double ms) => ms > DayMs / 2 ? ms - DayMs : ms < -DayMs / 2 ? ms + DayMs : ms;

    private double MsOfDay() => time.GetUtcNow().UtcDateTime.TimeOfDay.TotalMilliseconds;

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
