using Tandem.Node.Coordination;

namespace Tandem.Node;

/// <summary>What the daemon core asks of its host after an input: messages to multicast, operations to run here.</summary>
public sealed class CoreOutput
{
    public List<DaemonMessage> Messages { get; } = [];

    public List<ExecuteAction> Executions { get; } = [];

    /// <summary>Delivered messages whose work is file I/O on this node (volume definitions), done by the host.</summary>
    public List<DaemonMessage> HostMessages { get; } = [];
}
