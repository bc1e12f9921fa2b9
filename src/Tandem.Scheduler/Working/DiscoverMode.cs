namespace Tandem.Scheduler.Working;

/// <summary>Resource discovery on a node (a location constraint's resource-discovery): exclusive &gt; never &gt; always.</summary>
internal enum DiscoverMode
{
    Always,
    Never,
    Exclusive,
}
