namespace Tandem.Scheduler.Working;

/// <summary>What to do with resources when the partition has no quorum.</summary>
internal enum NoQuorumPolicy
{
    Freeze,
    Stop,
    Ignore,
    Suicide,
    Demote,
}
