namespace Tandem.Scheduler.Working;

/// <summary>Action kinds in Pacemaker's order; each action and its completion pseudo-action are adjacent.</summary>
internal enum TaskKind
{
    NoAction,
    Monitor,
    Stop,
    Stopped,
    Start,
    Started,
    Notify,
    Notified,
    Promote,
    Promoted,
    Demote,
    Demoted,
    Shutdown,
    Fence,
}
