using Microsoft.Extensions.Logging;
using Tandem.Bus;
using Tandem.Node.Membership;

namespace Tandem.Node;

/// <summary>
/// The daemon's decisions, without I/O: every bus event goes in, in delivery order; the messages to
/// multicast come out. <see cref="DaemonHost"/> runs it over corosync; the simulator runs many of them
/// over the in-memory bus under fake time.
/// </summary>
public sealed class DaemonCore(string nodeName, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("daemon");

    public MembershipService Membership { get; } = new(nodeName, loggerFactory.CreateLogger("membership"), time);

    /// <summary>Applies one bus event; returns the messages to multicast, in order.</summary>
    public IReadOnlyList<DaemonMessage> OnBusEvent(BusEvent busEvent)
    {
        if (busEvent is not MessageDelivered delivered)
        {
            return Membership.OnEvent(busEvent);
        }
        var message = DaemonMessage.TryDecode(delivered.Payload.Span, out var error);
        if (message is null)
        {
            // A peer speaking garbage or another version must not stop this daemon.
            _logger.LogWarning("ignored a message from {Sender}: {Error}", delivered.Sender, error);
            return [];
        }
        Membership.OnMessage(delivered.Sender, message);
        return [];
    }
}
