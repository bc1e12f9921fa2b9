namespace Tandem.Scheduler;

/// <summary>What to record while scheduling beyond the plan itself.</summary>
public sealed record ScheduleOptions
{
    public static ScheduleOptions Default { get; } = new();

    /// <summary>Record the allocation and promotion scores (as crm_simulate -s shows them).</summary>
    public bool RecordScores { get; init; }
}
