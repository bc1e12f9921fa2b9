using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Tandem.Lab;

namespace Tandem.Bench.Failover;

/// <summary>
/// The client's view of the floating IP: a process in the lab's client namespace sends an ICMP echo to the
/// address every 10 ms (each with its own 200 ms deadline, so a lost answer never delays the next probe)
/// and reports, with the host clock, every change of who answers: "up MAC" (the hardware address the
/// client's neighbour table holds for the IP when an answer arrives) or "down". Both stacks are measured
/// by the same probe, from outside.
/// </summary>
public sealed class VipProbe : IAsyncDisposable
{
    private const int IntervalMs = 10;
    private const int DeadlineMs = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<(DateTimeOffset At, string? Mac)> _changes = new();
    private readonly Task _reader;

    private VipProbe(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Starts the probe in the client namespace of the lab (this program, `probe ADDRESS`).</summary>
    public static VipProbe Start(LabLayout layout, string address)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        string[] command = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, typeof(VipProbe).Assembly.Location, "probe", address]
            : [self, "probe", address];
        foreach (var argument in (string[])["netns", "exec", layout.ClientNamespace, .. command])
        {
            start.ArgumentList.Add(argument);
        }
        return new VipProbe(Process.Start(start) ?? throw new InvalidOperationException("cannot start the probe"));
    }

    /// <summary>The first moment at or after <paramref name="since"/> when the address answered from <paramref name="mac"/>.</summary>
    public DateTimeOffset? AnsweredFrom(string mac, DateTimeOffset since)
    {
        // A change before `since` to this MAC still counts when nothing changed since: it answers from there.
        DateTimeOffset? candidate = null;
        foreach (var (at, seen) in _changes)
        {
            if (at < since)
            {
                candidate = seen == mac ? since : null;
                continue;
            }
            if (seen == mac)
            {
                return candidate ?? at;
            }
            candidate = null;
        }
        return candidate;
    }

    /// <summary>Waits until the address answers from <paramref name="mac"/> (at or after <paramref name="since"/>); returns when it first did.</summary>
    public async Task<DateTimeOffset> WaitAnsweredFromAsync(string mac, DateTimeOffset since, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (AnsweredFrom(mac, since) is { } at)
            {
                return at;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the VIP probe ended: {await _process.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
            }
            await Task.Delay(5).ConfigureAwait(false);
        }
        throw new TimeoutException($"{what}: the VIP did not answer from {mac} within {timeout.TotalSeconds:0} s");
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length >= 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                _changes.Enqueue((DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1] == "up" && parts.Length > 2 ? parts[2] : null));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>The probe itself, run inside the client namespace: prints "UNIXMS up MAC" / "UNIXMS down" on every change.</summary>
    public static async Task<int> RunProbeAsync(string[] args)
    {
        if (args.Length < 2 || !IPAddress.TryParse(args[1], out var address))
        {
            Console.Error.WriteLine("usage: probe ADDRESS");
            return 2;
        }
        var gate = new object();
        string? last = "";
        long lastAt = 0;
        var payload = new byte[16];
        void Report(long sentAt, string? state)
        {
            lock (gate)
            {
                // Answers can complete out of order: a late "down" for an earlier probe does not undo a later "up".
                if (sentAt < lastAt || state == last)
                {
                    return;
                }
                lastAt = sentAt;
                last = state;
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(state is null ? sentAt : now)} {state ?? "down"}"));
                Console.Out.Flush();
            }
        }
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(IntervalMs));
        while (await ticker.WaitForNextTickAsync().ConfigureAwait(false))
        {
            var sentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            _ = Task.Run(async () =>
            {
                using var ping = new Ping();
                var reply = await ping.SendPingAsync(address, DeadlineMs, payload).ConfigureAwait(false);
                Report(sentAt, reply.Status == IPStatus.Success ? "up " + NeighbourMac(args[1]) : null);
            });
        }
        return 0;
    }

    /// <summary>The client's neighbour entry for the address (/proc/net/arp is per network namespace).</summary>
    private static string NeighbourMac(string address)
    {
        foreach (var line in File.ReadLines("/proc/net/arp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && fields[0] == address)
            {
                return fields[3];
            }
        }
        return "?";
    }
}
