namespace Tandem.Scheduler.Working;

/// <summary>What to do when a resource is found active on more than one node (multiple-active).</summary>
internal enum RecoveryType
{
    StopStart,
    StopOnly,
    Block,
    StopUnexpected,
}
