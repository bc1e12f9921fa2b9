using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Durations;

namespace Tandem.Model.Resources;

/// <summary>
/// An operation of a primitive: start, stop, monitor (recurring when the interval is not zero),
/// promote, demote, notify, migrate_to/migrate_from, reload. Absent settings fall back to op_defaults
/// and then to Pacemaker's defaults (timeout 20s).
/// </summary>
public sealed record Operation(string Id, string Name, Duration Interval)
{
    public string? Description { get; init; }

    public Duration? Timeout { get; init; }

    /// <summary>The role this operation applies to (a monitor for promoted instances, for example).</summary>
    public Role? Role { get; init; }

    public OnFail? OnFail { get; init; }

    public Duration? StartDelay { get; init; }

    /// <summary>The ISO 8601 date a recurring operation's schedule is anchored to.</summary>
    public string? IntervalOrigin { get; init; }

    public bool? RecordPending { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>What must hold before the operation runs (nothing, quorum, fencing, unfencing); deprecated on ops.</summary>
    public string? Requires { get; init; }

    public ValueList<AttributeSet> Meta { get; init; }

    public ValueList<AttributeSet> Params { get; init; }

    /// <summary>True for monitors that repeat (interval above zero).</summary>
    public bool IsRecurring => Interval.Milliseconds > 0;
}
