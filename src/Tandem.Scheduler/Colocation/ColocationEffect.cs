namespace Tandem.Scheduler.Colocation;

/// <summary>What a colocation does when applied now.</summary>
internal enum ColocationEffect
{
    Nothing,
    Location,
    Role,
}
