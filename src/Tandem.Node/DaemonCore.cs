using Microsoft.Extensions.Logging;
using Tandem.Bus;
using Tandem.Model.Json;
using Tandem.Node.Configuration;
using Tandem.Node.Membership;
using Tandem.Node.Status;

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
        Status = new StatusStore(nodeName);
    }

    public MembershipService Membership { get; }

    public ConfigStore Config { get; }

    public StatusStore Status { get; }

    /// <summary>Applies one bus event; returns the messages to multicast, in order.</summary>
    public IReadOnlyList<DaemonMessage> OnBusEvent(BusEvent busEvent)
    {
        if (busEvent is not MessageDelivered delivered)
        {
            if (busEvent is ViewChanged or BusDisconnected)
            {
                Config.OnViewChanged();
            }
            if (busEvent is ViewChanged view)
            {
                ForgetDepartedNodes(view);
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
                // The view has settled: configuration copies are reconciled, and this node announces its status.
                return [
                    .. Config.OnViewSettled(self, [.. Membership.Hellos.Select(h => (h.Sender, h.Hello.NodeName, h.Hello.Config ?? ConfigStore.StampOf(Model.ClusterConfiguration.Empty, default)))]),
                    Status.Announce(),
                ];
            case StatusUpdate update:
                Status.Apply(update);
                break;
            case NodeStatusAnnounce announce:
                Status.Apply(announce);
                break;
            case ConfigChange change:
                Config.OnChange(change);
                break;
            case ConfigFull full:
                Config.OnFull(full);
                break;
        }
        return [];
    }

    /// <summary>Nodes with no member left in the view lose their transient attributes.</summary>
    private void ForgetDepartedNodes(ViewChanged view)
    {
        var names = Membership.Current.Names;
        foreach (var left in view.Left)
        {
            if (!view.Members.Any(m => m.NodeId == left.NodeId) && names.TryGetValue(left, out var name))
            {
                Status.OnNodeLeft(name);
            }
        }
    }
}
