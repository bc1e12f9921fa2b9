namespace Tandem.Scheduler.Working;

/// <summary>What must hold before a start or promote may run (the resource's requires).</summary>
internal enum ActionRequires
{
    Nothing,
    Quorum,
    Fencing,
}
