using System.Globalization;

namespace Tandem.Deployment.Doctor;

/// <summary>
/// Clocks: the nodes' logs, lifetimes of constraints and failure timeouts assume one time. Corosync itself
/// does not need synchronised clocks, so an unsynchronised clock is a warning and a large offset a failure.
/// </summary>
public static class ClockChecks
{
    /// <summary>Offsets within this are fine; the measurement itself is good to about a millisecond on a LAN.</summary>
    public const double OkOffsetMs = 250;

    /// <summary>From this offset on, logs and time-based rules of two nodes disagree visibly.</summary>
    public const double FailOffsetMs = 1000;

    private const string InstallChrony = "apt-get install chrony (it starts at once), and point it at the same NTP servers on every node";

    public static IEnumerable<CheckResult> Run(DoctorFacts facts)
    {
        var clock = facts.Clock;
        var daemons = clock.SyncDaemons.Count == 0 ? "no time-sync daemon seen" : $"{string.Join(", ", clock.SyncDaemons)} running";
        yield return clock.KernelSynchronised switch
        {
            true => CheckResult.Ok("clock.sync", $"the kernel clock is synchronised ({daemons})"),
            false => CheckResult.Warning("clock.sync", $"the kernel clock is not synchronised ({daemons})", InstallChrony),
            null => clock.SyncDaemons.Count > 0
                ? CheckResult.Ok("clock.sync", daemons)
                : CheckResult.Warning("clock.sync", "cannot tell whether the clock is synchronised, and no time-sync daemon runs", InstallChrony),
        };
        foreach (var peer in clock.Peers)
        {
            yield return Peer(peer);
        }
    }

    private static CheckResult Peer(PeerClock peer)
    {
        var id = $"clock.peer.{peer.Peer}";
        if (peer.OffsetMs is not { } offset || peer.RoundTripMs is not { } rtt)
        {
            return CheckResult.Warning(id, $"cannot measure {peer.Peer}'s clock: {peer.Error ?? "no answer"}", $"allow ICMP timestamp requests from this node on {peer.Peer}, or compare 'chronyc tracking' on both");
        }
        var text = Describe(peer.Peer, offset, rtt);
        return Math.Abs(offset) switch
        {
            < OkOffsetMs => CheckResult.Ok(id, text),
            < FailOffsetMs => CheckResult.Warning(id, text, InstallChrony),
            _ => CheckResult.Failed(id, text, InstallChrony),
        };
    }

    private static string Describe(string peer, double offsetMs, double rttMs)
    {
        var inv = CultureInfo.InvariantCulture;
        var direction = offsetMs >= 0 ? "ahead of" : "behind";
        var amount = Math.Abs(offsetMs) >= 1000 ? string.Format(inv, "{0:0.0} s", Math.Abs(offsetMs) / 1000) : string.Format(inv, "{0:0} ms", Math.Abs(offsetMs));
        return string.Format(inv, "{0}'s clock is {1} {2} this node's (± {3:0.#} ms)", peer, amount, direction, rttMs / 2 + 1);
    }
}
