namespace Tandem.Node.Fencing;

/// <summary>How a fence device decides which nodes it can fence (Pacemaker's pcmk_host_check).</summary>
public enum HostCheck
{
    /// <summary>The nodes named in pcmk_host_list or pcmk_host_map.</summary>
    StaticList,

    /// <summary>The nodes (or ports) the agent's <c>list</c> action prints.</summary>
    DynamicList,

    /// <summary>The nodes whose port the agent's <c>status</c> action reports on or off.</summary>
    Status,

    /// <summary>Every node.</summary>
    None,
}
