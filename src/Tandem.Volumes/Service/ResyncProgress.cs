namespace Tandem.Volumes.Service;

/// <summary>A running resync: how far, how fast, how long still.</summary>
public sealed record ResyncProgress(long TotalBytes, long DoneBytes, double BytesPerSecond, double? EtaSeconds)
{
    public double Percent => TotalBytes == 0 ? 100 : 100.0 * DoneBytes / TotalBytes;
}
