namespace Tandem.Lab.Chaos;

/// <summary>
/// What one fault did. Times are seconds since the chaos run started. <see cref="RecoveredSeconds"/> is
/// from injection until SMTP and IMAP answered on VIP1 again; <see cref="HealthySeconds"/> until the
/// fault was undone and the cluster was whole again (both nodes online, the replicas connected and
/// UpToDate). <see cref="OutageSeconds"/> is what the mail client saw: the outage windows of the load
/// that began between this fault and the next, summed.
/// </summary>
public sealed record ChaosFaultResult(
    int Number,
    ChaosFaultKind Kind,
    string Node,
    double InjectedAtSeconds,
    double? RecoveredSeconds,
    double? HealthySeconds,
    string? Problem)
{
    public double OutageSeconds { get; init; }

    /// <summary>What undoing the fault took beyond the ordinary (an operator's decision, such as resolving a split brain).</summary>
    public string? Note { get; init; }

    public bool Recovered => Problem is null && RecoveredSeconds is not null && HealthySeconds is not null;
}
