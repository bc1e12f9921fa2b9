namespace Tandem.Agents.Execution;

/// <summary>How far a failure reaches, as Pacemaker decides recovery.</summary>
public enum ErrorClass
{
    /// <summary>Not a failure.</summary>
    None,

    /// <summary>Recover in place: restart here or move (OCF 1, 7/8 unexpected, 9, timeouts, crashes).</summary>
    Soft,

    /// <summary>Not on this node again until cleaned up (OCF 2, 3, 4, 5).</summary>
    Hard,

    /// <summary>The configuration is wrong: stop everywhere (OCF 6).</summary>
    Fatal,
}
