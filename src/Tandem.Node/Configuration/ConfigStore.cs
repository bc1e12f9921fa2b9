using Microsoft.Extensions.Logging;
using Tandem.Bus;
using Tandem.Model;
using Tandem.Model.Json;

namespace Tandem.Node.Configuration;

/// <summary>
/// The replicated configuration. Every member applies changes in the bus's delivery order, so all hold
/// the same configuration. After a membership change the members compare stamps (carried in their view
/// hellos); when they differ, the member holding the newest version (ties: the lowest member) sends the
/// whole configuration, and until it is delivered every member refuses changes alike. Pure: storage is an
/// interface, time comes from the caller.
/// </summary>
public sealed class ConfigStore
{
    private readonly IConfigStorage _storage;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private ConfigStamp? _awaitedFull;

    public ConfigStore(IConfigStorage storage, ConfigDocument? stored, ILogger logger, TimeProvider time)
    {
        _storage = storage;
        _logger = logger;
        _time = time;
        Configuration = stored?.Configuration ?? ClusterConfiguration.Empty;
        Stamp = StampOf(Configuration, stored?.Version ?? default);
    }

    public ClusterConfiguration Configuration { get; private set; }

    public ConfigStamp Stamp { get; private set; }

    /// <summary>True from a view change until the members' copies are known to agree.</summary>
    public bool Synchronising { get; private set; }

    /// <summary>The last time a healed split or a rejoin replaced a member's configuration (this node's, or another's that had changes).</summary>
    public ConfigMerge? LastMerge { get; private set; }

    /// <summary>Raised (on the daemon's loop) when a change this store saw delivered was applied or refused.</summary>
    public event Action<ConfigChangeOutcome>? ChangeCompleted;

    public static ConfigStamp StampOf(ClusterConfiguration configuration, ConfigVersion version) =>
        new(version, ConfigStamp.DigestOf(ConfigJson.Serialize(configuration)));

    /// <summary>A new view: copies are unknown to agree until every member's hello has arrived.</summary>
    public void OnViewChanged() => Synchronising = true;

    /// <summary>
    /// Every member's hello of the view has arrived (same set, same order on every member). Returns the
    /// full configuration to multicast if this member must send it.
    /// </summary>
    public IReadOnlyList<DaemonMessage> OnViewSettled(BusMember self, IReadOnlyList<(BusMember Member, string Node, ConfigStamp Stamp)> hellos)
    {
        var winner = hellos
            .OrderByDescending(h => h.Stamp.Version)
            .ThenBy(h => h.Member)
            .First();
        var losers = hellos.Where(h => h.Stamp != winner.Stamp).ToList();
        if (losers.Count == 0)
        {
            Synchronising = false;
            _awaitedFull = null;
            return [];
        }
        _awaitedFull = winner.Stamp;
        var merge = new ConfigMerge(_time.GetUtcNow(), winner.Node, winner.Stamp, [.. losers.Select(l => l.Node)], [.. losers.Select(l => l.Stamp)]);
        if (losers.Any(l => l.Stamp.Version != default))
        {
            // Not just a new node catching up: somebody's changes are about to be replaced.
            _logger.LogWarning("configuration merge: {Merge}", merge);
        }
        else
        {
            _logger.LogInformation("configuration: {Nodes} will receive version {Stamp} from {Winner}", string.Join(", ", merge.Replaced), winner.Stamp, winner.Node);
        }
        if (losers.Any(l => l.Member == self) || losers.Any(l => l.Stamp.Version != default))
        {
            // Every member reports a merge that replaced somebody's changes; a new node catching up is news only to itself.
            LastMerge = merge;
        }
        return winner.Member == self ? [new ConfigFull(Stamp.Version, Stamp.Digest, ConfigJson.Serialize(Configuration, Stamp.Version))] : [];
    }

    public void OnFull(ConfigFull full)
    {
        if (_awaitedFull is null || full.Version != _awaitedFull.Version || full.Digest != _awaitedFull.Digest)
        {
            // A copy from an earlier round (the view changed while it travelled): the next round decides.
            return;
        }
        _awaitedFull = null;
        Synchronising = false;
        if (Stamp.Digest == full.Digest && Stamp.Version == full.Version)
        {
            return;
        }
        var document = ConfigJson.Deserialize(full.Document);
        Install(document.Configuration, full.Version);
        _logger.LogInformation("configuration: installed version {Stamp} from the cluster", Stamp);
    }

    /// <summary>Applies or refuses a change, identically on every member.</summary>
    public void OnChange(ConfigChange change)
    {
        ConfigChangeOutcome outcome;
        if (Synchronising)
        {
            outcome = new(change.RequestId, false, Stamp.Version, "the cluster is synchronising its configuration after a membership change; try again");
        }
        else if (change.BaseVersion != Stamp.Version)
        {
            outcome = new(change.RequestId, false, Stamp.Version, $"the configuration changed meanwhile (it is at version {Stamp.Version}, the change was made on {change.BaseVersion})");
        }
        else
        {
            ClusterConfiguration configuration;
            try
            {
                configuration = ConfigJson.Deserialize(change.Document).Configuration;
            }
            catch (ConfigJsonException e)
            {
                // The proposer validated it; a member that cannot read it refuses it, as every member will.
                ChangeCompleted?.Invoke(new(change.RequestId, false, Stamp.Version, $"unreadable configuration: {e.Message}"));
                return;
            }
            var version = Stamp.Version with { Epoch = Stamp.Version.Epoch + 1, NumUpdates = 0 };
            Install(configuration, version);
            _logger.LogInformation("configuration: version {Version}: {Description}", version, change.Description);
            outcome = new(change.RequestId, true, version, null);
        }
        ChangeCompleted?.Invoke(outcome);
    }

    private void Install(ClusterConfiguration configuration, ConfigVersion version)
    {
        Configuration = configuration;
        Stamp = StampOf(configuration, version);
        try
        {
            _storage.Save(new ConfigDocument(ConfigJson.FormatName, ConfigJson.FormatVersion, configuration) { Version = version });
        }
        catch (IOException e)
        {
            // The cluster's copy is intact on the other members; this node gets it again when it rejoins.
            _logger.LogError("configuration: cannot store version {Version} on this node: {Error}", version, e.Message);
        }
    }
}
