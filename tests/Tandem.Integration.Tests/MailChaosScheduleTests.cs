using Tandem.Lab.Chaos;
using Tandem.Mail;

namespace Tandem.Integration.Tests;

/// <summary>The pure parts of `tandem lab chaos`: the seeded fault sequence, outages given to faults, the verdict (no lab needed).</summary>
public class MailChaosScheduleTests
{
    private static readonly ChaosFaultKind[] AllKinds = Enum.GetValues<ChaosFaultKind>();

    [Fact]
    public void Any_five_faults_from_the_start_hold_every_kind_once_and_a_seed_replays_the_same_run()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var steps = ChaosSchedule.Steps(seed, AllKinds).Take(20).ToList();
            Assert.Equal(steps, ChaosSchedule.Steps(seed, AllKinds).Take(20).ToList());
            for (var round = 0; round < 4; round++)
            {
                Assert.Equal(AllKinds.Order(), steps.Skip(round * AllKinds.Length).Take(AllKinds.Length).Select(s => s.Kind).Order());
            }
            Assert.Equal(Enumerable.Range(1, 20), steps.Select(s => s.Number));
            Assert.All(steps, s => Assert.InRange(s.PauseBefore, ChaosSchedule.MinimumPause, ChaosSchedule.MaximumPause));
        }
        var orders = Enumerable.Range(0, 50).Select(seed => string.Join(',', ChaosSchedule.Steps(seed, AllKinds).Take(5).Select(s => s.Kind))).Distinct().Count();
        Assert.True(orders > 10, $"only {orders} different orders in 50 seeds");
    }

    [Fact]
    public void A_run_limited_to_some_kinds_draws_only_those()
    {
        ChaosFaultKind[] kinds = [ChaosFaultKind.Switchover, ChaosFaultKind.ServiceKill];
        Assert.All(ChaosSchedule.Steps(7, kinds).Take(10), s => Assert.Contains(s.Kind, kinds));
        Assert.Throws<ArgumentException>(() => ChaosSchedule.Steps(7, []).First());
    }

    [Fact]
    public void Each_outage_the_client_saw_counts_for_the_fault_injected_before_it_and_an_open_one_runs_to_the_end()
    {
        // The load started 10 s into the run: its second 20 is the run's second 30.
        ChaosFaultResult[] faults = [Fault(1, at: 25), Fault(2, at: 60), Fault(3, at: 100)];
        var mail = Mail(durationSeconds: 120, outages:
        [
            new OutageWindow(16, 19, 3, "refused"),      // run 26..29: after fault 1
            new OutageWindow(21, 22.5, 1, "refused"),    // run 31..32.5: still fault 1
            new OutageWindow(55, 57, 2, "timeout"),      // run 65..67: fault 2
            new OutageWindow(100, null, 9, "timeout"),   // run 110..: fault 3, open until the load ended (its second 120)
        ]);

        var attributed = MailChaos.AttributeOutages(faults, mail, loadStartedAtSeconds: 10);

        Assert.Equal([4.5, 2, 20], attributed.Select(f => f.OutageSeconds));
    }

    [Fact]
    public void The_run_fails_on_a_lost_message_on_different_replicas_and_on_a_fault_not_recovered()
    {
        var good = Report(Mail(10, []), ("astapor", "aa"), ("braavos", "aa"), Fault(1, at: 5));
        Assert.True(good.Passed, good.ToText());

        Assert.False((good with { Mail = Mail(10, [], lost: ["c-000004"]) }).Passed);
        Assert.False((good with { ReplicaChecksums = new Dictionary<string, string> { ["astapor"] = "aa", ["braavos"] = "bb" } }).Passed);
        Assert.False((good with { ReplicaChecksums = null }).Passed);
        Assert.False((good with { Faults = [Fault(1, at: 5) with { HealthySeconds = null, Problem = "not whole" }] }).Passed);
        Assert.Contains("DIFFERENT", (good with { ReplicaChecksums = new Dictionary<string, string> { ["astapor"] = "aa00000000000000", ["braavos"] = "bb00000000000000" } }).ToText(), StringComparison.Ordinal);
    }

    private static ChaosFaultResult Fault(int number, double at) =>
        new(number, ChaosFaultKind.Switchover, "astapor", at, 3, 9, null);

    private static MailReport Mail(double durationSeconds, IReadOnlyList<OutageWindow> outages, IReadOnlyList<string>? lost = null) => new()
    {
        Attempted = 10,
        Accepted = 10,
        Refused = 0,
        Failed = 0,
        Uncertain = 0,
        Delivered = 10 - (lost?.Count ?? 0),
        Lost = lost ?? [],
        Duplicated = [],
        Unexpected = [],
        UncertainDelivered = 0,
        Outages = outages,
        DurationSeconds = durationSeconds,
    };

    private static ChaosReport Report(MailReport mail, (string Node, string Sum) a, (string Node, string Sum) b, params ChaosFaultResult[] faults) => new()
    {
        Seed = 1,
        Weakened = false,
        Command = "tandem lab chaos --seed 1 --faults 1",
        Faults = faults,
        Mail = mail,
        ReplicaChecksums = new Dictionary<string, string> { [a.Node] = a.Sum, [b.Node] = b.Sum },
        DurationSeconds = 30,
    };
}
