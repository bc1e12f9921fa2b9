namespace Tandem.Scheduler.Unpack;

/// <summary>How the recorded parameter digest compares with the current configuration.</summary>
internal enum DigestResult
{
    Match,
    /// <summary>A parameter that needs a restart changed.</summary>
    Restart,
    /// <summary>Some parameter changed (a reload may do).</summary>
    All,
    /// <summary>No digest was recorded.</summary>
    Unknown,
}
