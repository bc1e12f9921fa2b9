namespace Tandem.Scheduler.Unpack;

/// <summary>Digests of a resource's parameters for one action, as the cluster would compute them now.</summary>
internal sealed class DigestData
{
    public DigestResult Result { get; set; } = DigestResult.Match;
    public required string AllCalc { get; init; }
    public string? RestartCalc { get; init; }
    public string? SecureCalc { get; init; }
}
