namespace Tandem.Scheduler.Working;

/// <summary>The kind of a node: a full cluster member, a Pacemaker Remote node, or a (deprecated) ping node.</summary>
internal enum NodeType
{
    Ping,
    Member,
    Remote,
}
