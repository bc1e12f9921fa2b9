using Microsoft.Extensions.Logging;
using Tandem.Bus;
using Tandem.Model.Json;
using Tandem.Node.Configuration;
using Tandem.Node.Membership;

namespace Tandem.Node;

/// <summary>
/// The daemon's decisions, without I/O: every bus event goes in, in delivery order; the messages to
/// multicast come out. <see cref="DaemonHost"/> runs it over corosync; the simulator runs many of them
/// over the in-memory bus under fake time.
/// </summary>
public sealed class DaemonCore
{
    private readonly ILogger _logger;

    public DaemonCore(string nodeName, IConfigStorage configStorage, ConfigDocument? storedConfig, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _logger = loggerFactory.CreateLogger("daemon");
        Membership = new MembershipService(nodeName, loggerFactory.CreateLogger("membership"), time);
        Config = new ConfigStore(configStorage, storedConfig, loggerFactory.CreateLogger("config"), time);
    }

    public MembershipService Membership { get; }

    public ConfigStore Config { get; }

    /// <summary>Applies one bus event; returns the messages to multicast, in order.</summary>
    public IReadOnlyList<DaemonMessage> OnBusEvent(BusEvent busEvent)
    {
        if (busEvent is not MessageDelivered delivered)
        {
            if (busEvent is ViewChanged or BusDisconnected)
            {
                Config.OnViewChanged();
            }
            return [.. Membership.OnEvent(busEvent).Select(m => m is ViewHello hello ? hello with { Config = Config.Stamp } : m)];
        }
        var message = DaemonMessage.TryDecode(delivered.Payload.Span, out var error);
        if (message is null)
        {
            // A peer speaking garbage or another version must not stop this daemon.
            _logger.LogWarning("ignored a message from {Sender}: {Error}", delivered.Sender, error);
            return [];
        }
        switch (message)
        {
            case ViewHello hello when Membership.OnHello(delivered.Sender, hello) && Membership.Current.Self is { } self:
                return Config.OnViewSettled(self, [.. Membership.Hellos.Select(h => (h.Sender, h.Hello.NodeName, h.Hello.Config ?? ConfigStore.StampOf(Model.ClusterConfiguration.Empty, default)))]);
            case ConfigChange change:
                Config.OnChange(change);
                break;
            case ConfigFull full:
                Config.OnFull(full);
                break;
        }
        return [];
    }
}
