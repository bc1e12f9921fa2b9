using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tandem.Bus;
using Tandem.Corosync;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem bus probe` (hidden): joins the cluster bus through the local corosync and speaks JSON lines, so
/// tests and people can watch and drive the real bus from inside a node. Every event is printed as one
/// line; commands come on stdin, one per line:
/// <c>send TEXT</c>, <c>info</c>, <c>flood COUNT BYTES</c> (multicast COUNT messages and time their
/// delivery back to this process), <c>ping COUNT</c> (one message at a time: the latency from send to
/// delivery back here), <c>digest</c> (how many messages this process delivered and a SHA-256 over all of
/// them in delivery order, senders included: two members that delivered the same messages in the same
/// order print the same digest), <c>quit</c>.
/// </summary>
public static class BusCommands
{
    private const string FloodPrefix = "flood:";
    private const string PingPrefix = "ping:";
    private const string Usage = "send TEXT, info, flood COUNT BYTES, ping COUNT, digest, quit";
    private const int FloodMinBytes = 32;

    private static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create()
    {
        var command = new Command("bus", "The cluster bus over corosync (diagnostics)") { Hidden = true };
        var group = new Option<string>("--group") { Description = "CPG group to join", DefaultValueFactory = _ => CorosyncClusterBus.DefaultGroupName };
        var probe = new Command("probe", $"Join the group and print every event as a JSON line; read commands on stdin ({Usage})") { group };
        probe.SetAction(async (parse, cancellationToken) => await ProbeAsync(parse.GetValue(group)!, cancellationToken).ConfigureAwait(false));
        command.Subcommands.Add(probe);
        return command;
    }

    private static async Task<int> ProbeAsync(string group, CancellationToken cancellationToken)
    {
        var output = new Output();
        await using var bus = new CorosyncClusterBus(group);
        var deliveries = new DeliveryLog();
        var reader = Task.Run(() => ReadEventsAsync(bus, output, deliveries, cancellationToken), CancellationToken.None);
        while (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var (verb, rest) = line.Trim().Split(' ', 2) switch
            {
                [var v] => (v, ""),
                [var v, var r] => (v, r),
                _ => ("", ""),
            };
            switch (verb)
            {
                case "":
                    break;
                case "send":
                    var sent = await bus.TrySendAsync(Encoding.UTF8.GetBytes(rest), cancellationToken).ConfigureAwait(false);
                    output.Write(new { @event = "sent", ok = sent, text = rest });
                    break;
                case "info":
                    try
                    {
                        output.Write(new { @event = "info", info = await bus.GetInfoAsync(cancellationToken).ConfigureAwait(false) });
                    }
                    catch (BusUnavailableException e)
                    {
                        output.Write(new { @event = "error", message = e.Message });
                    }
                    break;
                case "flood":
                    await FloodAsync(bus, output, deliveries, rest, cancellationToken).ConfigureAwait(false);
                    break;
                case "digest":
                    var (count, sha256) = deliveries.Digest();
                    output.Write(new { @event = "digest", count, sha256 });
                    break;
                case "ping":
                    await PingAsync(bus, output, deliveries, rest, cancellationToken).ConfigureAwait(false);
                    break;
                case "quit":
                    await bus.DisposeAsync().ConfigureAwait(false);
                    await reader.ConfigureAwait(false);
                    output.Write(new { @event = "closed" });
                    return 0;
                default:
                    output.Write(new { @event = "error", message = $"unknown command '{verb}' ({Usage})" });
                    break;
            }
        }
        await bus.DisposeAsync().ConfigureAwait(false);
        await reader.ConfigureAwait(false);
        output.Write(new { @event = "closed" });
        return 0;
    }

    private static async Task ReadEventsAsync(CorosyncClusterBus bus, Output output, DeliveryLog deliveries, CancellationToken cancellationToken)
    {
        await foreach (var busEvent in bus.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (busEvent)
            {
                case BusConnected c:
                    deliveries.Self = c.Self;
                    output.Write(new { @event = "connected", self = c.Self.ToString() });
                    break;
                case BusDisconnected d:
                    output.Write(new { @event = "disconnected", reason = d.Reason });
                    break;
                case ViewChanged v:
                    output.Write(new
                    {
                        @event = "view",
                        ringSeq = v.RingSeq,
                        members = v.Members.Select(m => m.ToString()),
                        left = v.Left.Select(m => m.ToString()),
                        joined = v.Joined.Select(m => m.ToString()),
                        leftReasons = v.LeftReasons.ToDictionary(r => r.Key.ToString(), r => r.Value),
                    });
                    break;
                case QuorumChanged q:
                    output.Write(new { @event = "quorum", quorate = q.Quorate, ringSeq = q.RingSeq, nodes = q.Nodes });
                    break;
                case MessageDelivered m:
                    deliveries.Record(m.Sender, m.Payload.Span);
                    var text = Encoding.UTF8.GetString(m.Payload.Span);
                    if (text.StartsWith(FloodPrefix, StringComparison.Ordinal) || text.StartsWith(PingPrefix, StringComparison.Ordinal))
                    {
                        deliveries.Delivered(m.Sender);
                    }
                    else
                    {
                        output.Write(new { @event = "message", sender = m.Sender.ToString(), text });
                    }
                    break;
            }
        }
    }

    /// <summary>Multicasts COUNT messages of BYTES bytes back to back and reports how fast they came back to us.</summary>
    private static async Task FloodAsync(CorosyncClusterBus bus, Output output, DeliveryLog deliveries, string arguments, CancellationToken cancellationToken)
    {
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            || count < 1 || bytes < FloodMinBytes || bytes > ClusterBusLimits.MaxMessageBytes)
        {
            output.Write(new { @event = "error", message = $"flood COUNT BYTES: COUNT at least 1, BYTES from {FloodMinBytes} to {ClusterBusLimits.MaxMessageBytes}" });
            return;
        }
        var payload = new byte[bytes];
        var done = deliveries.Expect(count);
        var stopwatch = Stopwatch.StartNew();
        var sends = new List<Task<bool>>(count);
        for (var i = 0; i < count; i++)
        {
            // Numbered, so the digest tells one message from another; the bus copies the buffer at once.
            payload.AsSpan().Clear();
            Encoding.ASCII.GetBytes($"{FloodPrefix}{i}:").CopyTo(payload, 0);
            sends.Add(bus.TrySendAsync(payload, cancellationToken).AsTask());
        }
        // Sends complete in order: waiting for the last one first keeps one continuation instead of COUNT.
        await sends[^1].ConfigureAwait(false);
        var accepted = 0;
        foreach (var send in sends)
        {
            accepted += await send.ConfigureAwait(false) ? 1 : 0;
        }
        if (accepted == count)
        {
            await done.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var seconds = stopwatch.Elapsed.TotalSeconds;
        output.Write(new
        {
            @event = "flooded",
            count,
            bytes,
            accepted,
            seconds,
            messagesPerSecond = accepted / seconds,
            megabytesPerSecond = accepted * (double)bytes / seconds / 1e6,
            flowControlRetries = bus.FlowControlRetries,
        });
    }

    /// <summary>Sends COUNT messages one at a time, each after the previous one came back, and reports the latencies.</summary>
    private static async Task PingAsync(CorosyncClusterBus bus, Output output, DeliveryLog deliveries, string arguments, CancellationToken cancellationToken)
    {
        if (!int.TryParse(arguments, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            output.Write(new { @event = "error", message = "ping COUNT: COUNT at least 1" });
            return;
        }
        var latenciesMs = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var done = deliveries.Expect(1);
            var stopwatch = Stopwatch.StartNew();
            if (!await bus.TrySendAsync(Encoding.ASCII.GetBytes($"{PingPrefix}{i}"), cancellationToken).ConfigureAwait(false))
            {
                output.Write(new { @event = "error", message = "ping: not connected" });
                return;
            }
            await done.WaitAsync(cancellationToken).ConfigureAwait(false);
            latenciesMs.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        latenciesMs.Sort();
        output.Write(new
        {
            @event = "pinged",
            count,
            minMs = latenciesMs[0],
            medianMs = latenciesMs[count / 2],
            p99Ms = latenciesMs[Math.Min(count - 1, (int)(count * 0.99))],
            maxMs = latenciesMs[^1],
        });
    }

    /// <summary>Counts this process's own flood and ping messages as they are delivered, and digests every delivery.</summary>
    private sealed class DeliveryLog
    {
        private readonly Lock _gate = new();
        private readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _count;
        private TaskCompletionSource? _done;
        private int _remaining;

        public BusMember? Self { get; set; }

        public Task Expect(int count)
        {
            lock (_gate)
            {
                _remaining = count;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _done.Task;
            }
        }

        public void Record(BusMember sender, ReadOnlySpan<byte> payload)
        {
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteUInt32LittleEndian(header, sender.NodeId);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], sender.Pid);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], payload.Length);
            lock (_gate)
            {
                _digest.AppendData(header);
                _digest.AppendData(payload);
                _count++;
            }
        }

        public (long Count, string Sha256) Digest()
        {
            lock (_gate)
            {
                return (_count, Convert.ToHexStringLower(_digest.GetCurrentHash()));
            }
        }

        public void Delivered(BusMember sender)
        {
            lock (_gate)
            {
                if (sender == Self && _done is not null && --_remaining == 0)
                {
                    _done.TrySetResult();
                }
            }
        }
    }

    /// <summary>One JSON object per line; lines from the event reader and the command loop never interleave.</summary>
    private sealed class Output
    {
        private readonly Lock _gate = new();

        public void Write(object line)
        {
            var text = JsonSerializer.Serialize(line, LineJson);
            lock (_gate)
            {
                Console.Out.WriteLine(text);
                Console.Out.Flush();
            }
        }
    }
}
