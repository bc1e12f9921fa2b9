using System.Globalization;
using System.Net;

namespace Tandem.Deployment.Doctor;

/// <summary>A socket line of /proc/net/{tcp,udp}[6]: local address and port, state, inode.</summary>
public sealed record ProcSocket(string Protocol, IPAddress Address, int Port, int State, long Inode);

/// <summary>Parses the kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6).</summary>
public static class ProcNet
{
    /// <summary>TCP_LISTEN in the "st" column.</summary>
    public const int TcpListen = 0x0A;

    /// <summary>The sockets of one table that hold a port: listening TCP sockets, or any bound UDP socket.</summary>
    public static IEnumerable<ProcSocket> Parse(string protocol, string text)
    {
        foreach (var line in text.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10)
            {
                continue;
            }
            var local = fields[1].Split(':');
            var state = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (protocol == "tcp" && state != TcpListen)
            {
                continue;
            }
            yield return new ProcSocket(
                protocol,
                ParseAddress(local[0]),
                int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                state,
                long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The kernel prints addresses as 32-bit words in host (little-endian) order.</summary>
    public static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }
        return new IPAddress(bytes);
    }
}
