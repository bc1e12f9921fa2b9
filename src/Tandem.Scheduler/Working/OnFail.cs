namespace Tandem.Scheduler.Working;

/// <summary>
/// The response to a failed operation (on-fail). The numeric order is Pacemaker's and is used to pick
/// the most severe response, with demote, reset-remote and restart-container slotted specially.
/// </summary>
internal enum OnFail
{
    Ignore = 0,
    Recover = 1,
    Migrate = 2,
    Block = 3,
    Stop = 4,
    Standby = 5,
    Fence = 6,
    RestartContainer = 7,
    ResetRemote = 8,
    Demote = 9,
}
