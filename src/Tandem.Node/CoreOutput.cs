using Tandem.Node.Coordination;
using Tandem.Node.Fencing;

namespace Tandem.Node;

/// <summary>
/// What the daemon core asks of its host after an input: messages to multicast, operations to run here,
/// fence requests this node carries out, and whether this node must fence itself now (and why).
/// </summary>
public sealed class CoreOutput
{
    public List<DaemonMessage> Messages { get; } = [];

    public List<ExecuteAction> Executions { get; } = [];

    /// <summary>Delivered messages whose work is file I/O on this node (volume definitions), done by the host.</summary>
    public List<DaemonMessage> HostMessages { get; } = [];

    public List<FenceRequest> Fencings { get; } = [];

    public string? SelfFence { get; set; }
}
