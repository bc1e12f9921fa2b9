namespace Tandem.Scheduler.Working;

/// <summary>The kind of resource; the order matters (collective kinds compare greater).</summary>
internal enum ResourceVariant
{
    Primitive = 0,
    Group = 1,
    Clone = 2,
    Bundle = 3,
}
