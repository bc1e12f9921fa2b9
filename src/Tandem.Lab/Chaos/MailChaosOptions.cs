namespace Tandem.Lab.Chaos;

/// <summary>What a chaos run of the mail scenario does: which faults, how many or for how long, at what mail rate.</summary>
public sealed record MailChaosOptions
{
    public required int Seed { get; init; }

    /// <summary>Stop after this many faults (null: <see cref="Duration"/> decides).</summary>
    public int? FaultCount { get; init; }

    /// <summary>Inject faults until this much time has passed (the fault under way finishes).</summary>
    public TimeSpan? Duration { get; init; }

    public double RatePerSecond { get; init; } = 5;

    public IReadOnlyList<ChaosFaultKind> Kinds { get; init; } = Enum.GetValues<ChaosFaultKind>();

    /// <summary>The lab runs the weakened configuration (no fencing, no-quorum-policy=ignore); recorded in the report.</summary>
    public bool Weakened { get; init; }

    /// <summary>The command line that reproduces the run, for the report.</summary>
    public string Command { get; init; } = "";

    /// <summary>Liveness bound on the service answering again after a fault.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Liveness bound on the cluster being whole again (node back, replicas in sync) after the fault is undone.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long the Primary writes alone while its replication link is cut.</summary>
    public TimeSpan ReplicationCutHold { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (FaultCount is null == Duration is null)
        {
            throw new LabException("give either a number of faults or a duration");
        }
        if (FaultCount is <= 0)
        {
            throw new LabException($"--faults {FaultCount} must be positive");
        }
        if (RatePerSecond is <= 0 or > 100)
        {
            throw new LabException($"--rate {RatePerSecond} is outside (0, 100] messages per second");
        }
        if (Kinds.Count == 0)
        {
            throw new LabException("a chaos run needs at least one kind of fault");
        }
    }
}
